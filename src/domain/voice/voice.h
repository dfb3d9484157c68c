/* domain/voice/voice.h: the voice context's public header — the residents' voice and the
 * improvement loop: satisfaction surveys (survey.h), improvement plans (improvement.h),
 * resident meetings and mystery-shopper visits (meeting.h). Other contexts include this header, never the rooms'. */
#ifndef AJ_VOICE_CTX_H
#define AJ_VOICE_CTX_H
#include "domain/voice/improvement.h"
#include "domain/voice/meeting.h"
#include "domain/voice/survey.h"

#endif
