/* domain/quality/quality.h: the quality context's public header: the service-standards
 * catalogue (standard.h); the three-level inspections and rectifications to come. Other
 * contexts include this header, never the rooms'. */
#ifndef AJ_QUALITY_CTX_H
#define AJ_QUALITY_CTX_H
#include "domain/quality/standard.h"

#endif
