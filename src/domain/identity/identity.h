/* domain/identity/identity.h: the identity context's public header: sessions (staff and
 * residents), passwords, the SMS code channel. Other contexts include this header, never the
 * rooms'. */
#ifndef AJ_IDENTITY_CTX_H
#define AJ_IDENTITY_CTX_H
#include "domain/identity/password.h"
#include "domain/identity/password_change.h"
#include "domain/identity/password_reset.h"
#include "domain/identity/session.h"
#include "domain/identity/otp.h"
#include "domain/identity/sms.h"

#endif
