/* api/org/org_routes.c: the routes of the org context (projects, buildings, rooms, residents,
 * departments, staff). */
#include "api/org/org_api.h"

#define P "/api/v1"

const route org_routes[] = {
    {"GET", P "/projects", api_projects_list, 0, "List projects"},
    {"POST", P "/projects", api_projects_create, 0, "Create a project"},
    {"GET", P "/projects/{id}", api_projects_get, 0, "Get a project"},
    {"PATCH", P "/projects/{id}", api_projects_update, 0, "Update or deactivate a project"},
    {"GET", P "/projects/{id}/buildings", api_buildings_list, 0, "List buildings"},
    {"POST", P "/projects/{id}/buildings", api_buildings_create, 0, "Create a building"},
    {"GET", P "/buildings/{id}", api_buildings_get, 0, "Get a building"},
    {"PATCH", P "/buildings/{id}", api_buildings_update, 0, "Update or deactivate a building"},
    {"GET", P "/projects/{id}/rooms", api_rooms_list, 0, "List rooms"},
    {"POST", P "/projects/{id}/rooms", api_rooms_create, 0, "Create a room"},
    {"GET", P "/rooms/{id}", api_rooms_get, 0, "Get a room"},
    {"PATCH", P "/rooms/{id}", api_rooms_update, 0, "Update or deactivate a room"},
    {"GET", P "/projects/{id}/residents", api_residents_list, 0, "List residents"},
    {"POST", P "/projects/{id}/residents", api_residents_create, 0, "Register a resident"},
    {"GET", P "/residents/{id}", api_residents_get, 0, "Get a resident"},
    {"PATCH", P "/residents/{id}", api_residents_update, 0, "Update or deactivate a resident"},
    {"POST", P "/residents/{id}/password", api_residents_password, 0,
     "Set a resident's initial password"},
    {"GET", P "/departments", api_departments_list, 0, "List departments"},
    {"POST", P "/departments", api_departments_create, 0, "Create a department"},
    {"PATCH", P "/departments/{id}", api_departments_update, 0,
     "Update or deactivate a department"},
    {"GET", P "/staff", api_staff_list, 0, "List staff"},
    {"POST", P "/staff", api_staff_create, 0, "Create a staff member"},
    {"GET", P "/staff/{id}", api_staff_get, 0, "Get a staff member"},
    {"PATCH", P "/staff/{id}", api_staff_update, 0, "Update or deactivate a staff member"},
    {"POST", P "/staff/{id}/password-reset", api_staff_password_reset, 0,
     "Start a password reset the staff member completes with a code"},
};
const int org_nroutes = (int)(sizeof org_routes / sizeof org_routes[0]);
