/* domain/core/core.h: the core context's public header: who acts (actor), the audit chain, in-app
 * notifications, live events, stored files, QR label sheets and Excel export sheets. Other
 * contexts include this header, never the rooms'. */
#ifndef AJ_CORE_CTX_H
#define AJ_CORE_CTX_H
#include "domain/core/actor.h"
#include "domain/core/audit.h"
#include "domain/core/file.h"
#include "domain/core/label_sheet.h"
#include "domain/core/live.h"
#include "domain/core/notify.h"
#include "domain/core/xlsx_sheet.h"

#endif
