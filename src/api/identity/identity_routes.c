/* api/identity/identity_routes.c: the routes of the identity context (logins (staff and residents), logout, the caller). */
#include "api/identity/identity_api.h"

#define P "/api/v1"

const route identity_routes[] = {
    {"POST", P "/auth/login", api_login, ROUTE_PUBLIC, "Log in with username and password"},
    {"POST", P "/auth/logout", api_logout, 0, "End the session"},
    {"POST", P "/auth/resident/code", api_resident_code, ROUTE_PUBLIC, "Send a one-time code"},
    {"POST", P "/auth/resident/login", api_resident_login, ROUTE_PUBLIC, "Log in with a code"},
    {"POST", P "/auth/password-reset", api_password_reset, ROUTE_PUBLIC,
     "Complete a password reset with the one-time code"},
    {"GET", P "/me", api_me, 0, "The caller, role, projects and rooms"},
    {"POST", P "/me/password", api_me_password, 0,
     "Change one's own password (the current one required; other sessions end)"},
};
const int identity_nroutes = (int)(sizeof identity_routes / sizeof identity_routes[0]);
