/* domain/patrol/visitor.h: the visitors' register (外来人员登记). */
#ifndef AJ_VISITOR_H
#define AJ_VISITOR_H

#endif
