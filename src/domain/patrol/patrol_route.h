/* domain/patrol/patrol_route.h: patrol routes (巡更路线), their checkpoints with QR tokens,
 * and the scans (check-ins) of a round. */
#ifndef AJ_PATROL_ROUTE_H
#define AJ_PATROL_ROUTE_H

#endif
