/* api/voice/survey_posters_api.c: HTTP face of a survey's QR poster: the PDF for the
 * lobbies (GET /surveys/{id}/poster.pdf) and, without login, the poster's page
 * (GET /public/survey-posters/{id}), the SMS code (POST …/code) and the exchange of the
 * phone's proof for its rooms' invitation links (POST …/rooms). */
#include "api/jv.h"
#include "api/out.h"
#include "api/voice/voice_api.h"
#include "base/buf.h"
#include "base/phone.h"
#include "domain/identity/identity.h"

/* The code's purpose in otp_codes: a poster's code proves a phone, never logs anyone in. */
#define SURVEY_POSTER_PROOF "survey"

void api_surveys_poster(req *r)
{
    int64_t id;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    buf pdf;
    buf_init(&pdf, NULL);
    if (survey_poster_pdf(r->db, &r->who, id, out_public_base(r), &r->a, &pdf, &r->err)) {
        buf_free(&pdf);
        return reply_error(r);
    }
    reply_raw(r, 200, "application/pdf", pdf.s, pdf.len);
    buf_free(&pdf);
    reply_header(r, "Content-Disposition", "inline; filename=\"survey-poster.pdf\"");
}

static int survey_posters_api_open_or_reply(req *r, survey *s, const char **pname)
{
    int64_t id;
    if (!req_path_id_or_reply(r, "id", &id)) return 0;
    if (survey_poster_get(r->db, id, &r->a, s, pname, &r->err)) {
        reply_error(r);
        return 0;
    }
    return 1;
}

void api_public_poster_get(req *r)
{
    survey s;
    const char *pname;
    if (!survey_posters_api_open_or_reply(r, &s, &pname)) return;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "survey_id", (json_int_t)s.id, "title", s.title,
                          "period", s.period, "project_name", pname, "state", s.state, "anonymous", 1);
    json_object_set_new(o, "closes_at", out_time(s.closes_at, s.tz_offset));
    reply_json(r, 200, o);
    reply_header(r, "Cache-Control", "no-store");
}

/* POST /public/survey-posters/{id}/code {"phone"}: 204 whether or not the phone is on record
 * (a code goes only to one that is); 422 for a phone that is not a mainland mobile; 429 one a
 * minute. */
void api_public_poster_code(req *r)
{
    static const char *const fields[] = {"phone", NULL};
    survey s;
    const char *pname, *phone;
    json_t *b;
    int has = 0, retry = 0;
    if (!survey_posters_api_open_or_reply(r, &s, &pname) || !(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "phone", JV_REQUIRED, 20, &phone, &r->err)) return reply_error(r);
    if (!phone_mobile_ok(phone)) return reply_fail(r, AJ_EINVAL, "phone", "请填写 11 位手机号");
    if (survey_poster_phone(r->db, s.id, phone, &has, &r->err)) return reply_error(r);
    if (has && otp_proof_send(r->db, SURVEY_POSTER_PROOF, phone, &retry, &r->err)) {
        if (r->err.rc == AJ_ERATE) r->retry_after = arena_printf(&r->a, "%d", retry);
        return reply_error(r);
    }
    reply_status(r, 204);
}

/* POST /public/survey-posters/{id}/rooms {"phone","code"}: the rooms' invitation links. */
void api_public_poster_rooms(req *r)
{
    static const char *const fields[] = {"phone", "code", NULL};
    survey s;
    const char *pname, *phone, *code;
    json_t *b;
    survey_link *items;
    size_t n;
    if (!survey_posters_api_open_or_reply(r, &s, &pname) || !(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "phone", JV_REQUIRED, 20, &phone, &r->err) ||
        jv_str(b, "code", JV_REQUIRED, 12, &code, &r->err) ||
        otp_proof_check(r->db, SURVEY_POSTER_PROOF, phone, code, &r->err) ||
        survey_poster_rooms(r->db, s.id, phone, &r->a, &items, &n, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "room", items[i].room, "token", items[i].token,
                                             "answered", items[i].answered));
    reply_json(r, 200, json_pack("{s:I, s:o}", "survey_id", (json_int_t)s.id, "rooms", arr));
    reply_header(r, "Cache-Control", "no-store");
}
