/* domain/voice/survey.h: satisfaction surveys (满意度调查): the questionnaire and its life
 * (survey.c), the answers — anonymous by construction — (survey_answer.c), and the results
 * read from per-building tallies (survey_results.c). */
#ifndef AJ_SURVEY_H
#define AJ_SURVEY_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

#define SURVEY_MAX_DIMENSIONS 20
#define SURVEY_MAX_QUESTIONS 40
#define SURVEY_COMMENT_MAX 1000   /* bytes of one open answer */
#define SURVEY_MAX_DAYS 180       /* a survey is open at most this long */
#define SURVEY_UNDER_SAMPLED 10   /* a building under this share (%) of answers is under-sampled */

typedef struct survey {
    int64_t id, project_id;
    const char *title, *period;
    int64_t opens_at, closes_at;
    const char *dimensions, *questions; /* JSON arrays, as stored */
    const char *state;                  /* draft | open | closed */
    int64_t invited, responses, opened_at, closed_at, created_by, created_at, updated_at;
    int tz_offset;
} survey;

typedef struct survey_input {
    int64_t project_id;
    const char *title, *period;
    int64_t opens_at, closes_at; /* 0: not given */
    json_t *dimensions, *questions; /* borrowed; NULL: not given (the defaults on create) */
} survey_input;

/* The eight dimensions of the seeds (服务态度, 响应效率, 设施维护, 环境卫生, 安全秩序, 绿化养护,
 * 沟通与信息公开, 总体评价) and a question for each, plus one open question. */
json_t *survey_default_dimensions(void);
json_t *survey_default_questions(void);

/* Staff who see the project read; admin, quality and the project's managers create and
 * change. 422 with the field: title 1–100 bytes, period up to 20, closes_at after opens_at
 * and at most SURVEY_MAX_DAYS later, dimensions [{key,label}] (keys a-z, 0-9, _; 1–20
 * bytes; unique), questions [{key,label,type:scale|text,dimension}] (a scale question names
 * a dimension; at least one scale question). The questionnaire changes only in draft
 * (409 after); title and closes_at until it is closed. */
int survey_create(db *c, const actor *who, const survey_input *in, arena *a, survey *out,
                  aj_error *err);
int survey_update(db *c, const actor *who, int64_t id, const survey_input *in, arena *a,
                  survey *out, aj_error *err);
int survey_get(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err);
typedef struct survey_filter {
    int64_t project_id; /* 0: the caller's projects */
    const char *state;  /* NULL: any */
} survey_filter;
int survey_list(db *c, const actor *who, const survey_filter *f, const page_req *pg, arena *a,
                survey **items, size_t *n, int *more, aj_error *err);
/* draft -> open: every occupied room of the project (an active room with a resident) gets an
 * invitation with its link token (and each building its count of invited rooms); closed: no
 * more answers. 409 from another state. */
int survey_open(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err);
int survey_close(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err);

/* The row (no scope check), for the rooms of this context. */
int survey_load(db *c, int64_t id, arena *a, survey *out, aj_error *err);

/* ---- answers (survey_answer.c) ---- */

typedef struct survey_answer {
    json_t *answers;  /* {"q1":5,…}: scale questions, integers 1–5, at least one (borrowed) */
    json_t *comments; /* {"q9":"…"}: text questions (borrowed); NULL: none */
} survey_answer;

/* A resident answers for one of their rooms (404 for a room not theirs or not invited).
 * The survey must be open and inside its dates (409), the room not answered yet (409
 * conflict), every answer valid (422, field "answers" or "comments"); one transaction:
 * the invitation marked answered, the answer kept with the building and the day only, the
 * tallies counted, an audit row that names the survey and not the resident. */
int survey_answer_room(db *c, const actor *who, int64_t survey_id, int64_t room_id,
                       const survey_answer *in, aj_error *err);
/* The same through an invitation link, without login (404 for an unknown token). */
int survey_answer_token(db *c, const char *token, const survey_answer *in, aj_error *err);

/* What the invitation link shows: the survey, its project's name and whether it was
 * answered (404 for an unknown token). */
int survey_by_token(db *c, const char *token, arena *a, survey *out, const char **project_name,
                    int *answered, aj_error *err);

/* A resident's open surveys not answered yet, one per (survey, room). */
typedef struct survey_invite {
    survey s;
    int64_t room_id;
    const char *room; /* "3栋 1单元 1201" */
} survey_invite;
int survey_mine(db *c, const actor *who, arena *a, survey_invite **items, size_t *n, aj_error *err);

/* The invitation links of a survey's rooms, for the SMS channel and printed door slips
 * (admin, quality, managers of the project). */
typedef struct survey_link {
    int64_t room_id, building_id;
    const char *room, *token;
    int answered;
} survey_link;
int survey_links(db *c, const actor *who, int64_t survey_id, arena *a, survey_link **items,
                 size_t *n, aj_error *err);

/* The answers as kept (admin, quality, managers): building and day, never a room. */
typedef struct survey_response {
    int64_t id, building_id;
    const char *day, *answers, *comments; /* JSON objects */
} survey_response;
int survey_responses(db *c, const actor *who, int64_t survey_id, const page_req *pg, arena *a,
                     survey_response **items, size_t *n, int *more, aj_error *err);

/* ---- results (survey_results.c) ---- */

typedef struct survey_dim_result {
    const char *key, *label;
    int64_t n;             /* answers to its scale questions */
    double score;          /* 0–100: the mean of 1–5 mapped linearly, 1 -> 0, 5 -> 100; -1: no answers */
    double satisfied_rate; /* share of 4 and 5 */
    double margin;         /* ± on the score, 95 %, finite-population corrected; -1: n < 2 */
    double previous;       /* the previous closed survey's score; -1: none */
} survey_dim_result;

typedef struct survey_coverage {
    int64_t building_id;
    const char *building;
    int64_t invited, responses;
    int under_sampled; /* responses below SURVEY_UNDER_SAMPLED % of invited */
} survey_coverage;

typedef struct survey_comment {
    const char *question, *label, *dimension, *text;
} survey_comment;

typedef struct survey_results {
    int64_t invited, responses;
    double response_rate;   /* -1: none invited */
    double margin_of_error; /* of a share, at p = 0.5, 95 %, finite-population corrected; -1: none */
    double score;           /* mean of the dimensions' scores; -1: none */
    int64_t previous_id;    /* the previous closed survey of the project; 0: none */
    survey_dim_result *dims;
    size_t ndims;
    survey_coverage *coverage;
    size_t ncoverage;
    survey_comment *comments;
    size_t ncomments;
} survey_results;

#define SURVEY_MAX_COMMENTS 500

/* The results of s as they stand (no scope check: this context's rooms). */
int survey_results_of(db *c, const survey *s, arena *a, survey_results *out, aj_error *err);
/* Staff who see the project. */
int survey_results_get(db *c, const actor *who, int64_t id, arena *a, survey *s,
                       survey_results *out, aj_error *err);

/* ---- the QR poster (survey_poster.c) ---- */

/* The poster's page (no login): an open survey and its project's name; 404 otherwise. */
int survey_poster_get(db *c, int64_t id, arena *a, survey *out, const char **project_name, aj_error *err);
/* *has: phone is an active resident's with a room invited to survey id (never told to the
 * caller's caller: it decides whether a code is sent). */
int survey_poster_phone(db *c, int64_t id, const char *phone, int *has, aj_error *err);
/* After the phone's proof: the invitation links of its rooms (404 when none). */
int survey_poster_rooms(db *c, int64_t id, const char *phone, arena *a, survey_link **items, size_t *n,
                        aj_error *err);
/* The A4 poster PDF (admin, quality, managers; draft or open, 409 once closed): the project,
 * the survey, the QR code of base_url/s/p/{id}, how to answer and that it is anonymous. */
int survey_poster_pdf(db *c, const actor *who, int64_t id, const char *base_url, arena *a, struct buf *out,
                      aj_error *err);

/* The results and every answer as an .xlsx file under data_dir/tmp (admin, quality,
 * managers): sheets 概况, 维度得分, 楼栋覆盖, 答卷; 422 past max_rows answers. *path names the
 * file (the caller sends and removes it), *rows the answers written. */
#define SURVEY_EXPORT_MAX_ROWS 200000
int survey_export(db *c, const actor *who, int64_t id, const char *data_dir, int64_t max_rows, arena *a,
                  const char **path, int64_t *rows, aj_error *err);

#endif
