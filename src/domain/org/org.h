/* domain/org/org.h: the organisation context's public header: projects, buildings, rooms,
 * residents, departments, staff. Other contexts include this header, never the rooms'. */
#ifndef AJ_ORG_CTX_H
#define AJ_ORG_CTX_H
#include "domain/org/project.h"
#include "domain/org/building.h"
#include "domain/org/room.h"
#include "domain/org/resident.h"
#include "domain/org/department.h"
#include "domain/org/staff.h"

#endif
