/* domain/patrol/patrol.h: the patrol context's public header (秩序): patrol routes and
 * their checkpoints, rounds walked by scanning them (patrol_route.h), and the visitors'
 * register at the gate (visitor.h). Other contexts include this header only. */
#ifndef AJ_PATROL_CTX_H
#define AJ_PATROL_CTX_H
#include "domain/patrol/patrol_route.h"
#include "domain/patrol/visitor.h"

#endif
