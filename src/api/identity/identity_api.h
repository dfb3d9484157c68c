/* api/identity/identity_api.h: the HTTP face of the identity context: its handlers and its
 * route table (identity_routes.c), and what its resources share. */
#ifndef AJ_IDENTITY_API_H
#define AJ_IDENTITY_API_H
#include "http/router.h"

/* auth.c */
void api_login(req *r);
void api_logout(req *r);
void api_resident_code(req *r);
void api_resident_login(req *r);
void api_password_reset(req *r);
void api_me_password(req *r);
void api_me(req *r);

extern const route identity_routes[];
extern const int identity_nroutes;

#endif
