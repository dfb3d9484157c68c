/* domain/quality/quality.h: the quality context's public header: the service-standards
 * catalogue (standard.h), rectifications (rectification.h); the three-level inspections to
 * come. Other contexts include this header, never the rooms'. */
#ifndef AJ_QUALITY_CTX_H
#define AJ_QUALITY_CTX_H
#include "domain/quality/rectification.h"
#include "domain/quality/standard.h"

#endif
