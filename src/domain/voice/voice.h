/* domain/voice/voice.h: the voice context's public header — the residents' voice and the
 * improvement loop: satisfaction surveys (survey.h) and improvement plans (improvement.h);
 * meetings and mystery visits to come. Other contexts include this header, never the rooms'. */
#ifndef AJ_VOICE_CTX_H
#define AJ_VOICE_CTX_H
#include "domain/voice/improvement.h"
#include "domain/voice/survey.h"

#endif
