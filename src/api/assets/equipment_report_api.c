/* api/assets/equipment_report_api.c: the fault report a QR label offers anyone
 * (POST /q/e/{token}/code, POST /q/e/{token}/report). An anonymous reporter proves a
 * phone by an SMS code first; staff of the project and its residents report as
 * themselves. */
#include "api/assets/assets_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "domain/identity/identity.h"

/* The code's purpose in otp_codes: a code for a report never logs anyone in. */
#define EQUIPMENT_REPORT_PROOF "qr"

static int equipment_report_api_qr_or_reply(req *r, equipment_qr *q)
{
    if (equipment_by_token(r->db, &r->who, req_param(r, "token"), &r->a, q, &r->err)) {
        reply_error(r);
        return 0;
    }
    return 1;
}

void api_equipment_report_code(req *r)
{
    static const char *const fields[] = {"phone", NULL};
    equipment_qr q;
    json_t *b;
    const char *phone;
    int retry = 0;
    if (!equipment_report_api_qr_or_reply(r, &q)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "phone", JV_REQUIRED, 20, &phone, &r->err))
        return reply_error(r);
    if (otp_proof_send(r->db, EQUIPMENT_REPORT_PROOF, phone, &retry, &r->err)) {
        if (r->err.rc == AJ_ERATE) r->retry_after = arena_printf(&r->a, "%d", retry);
        return reply_error(r);
    }
    reply_status(r, 204);
}

void api_equipment_report(req *r)
{
    static const char *const fields[] = {"description", "trapped", "phone", "code", "photos", NULL};
    equipment_qr q;
    equipment_report_input in = {0};
    json_t *b;
    const char *code = NULL;
    int has;
    ticket t;
    if (!equipment_report_api_qr_or_reply(r, &q)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) ||
        jv_str(b, "description", JV_REQUIRED, 1500, &in.description, &r->err) ||
        jv_bool(b, "trapped", 0, &in.trapped, &has, &r->err) ||
        jv_str(b, "phone", 0, 20, &in.phone, &r->err) ||
        jv_str(b, "code", 0, 12, &code, &r->err) ||
        jv_ids(b, "photos", 0, TICKET_MAX_PHOTOS, &r->a, &in.photos, &in.nphotos, &has, &r->err))
        return reply_error(r);
    int anonymous = equipment_report_anonymous(r->db, &r->who, &q, &r->err);
    if (anonymous < 0) return reply_error(r);
    if (!anonymous) in.phone = NULL; /* who reports as themselves: their contact is on record */
    /* everything that can be refused without the database is refused before the code is
     * used up, so a typo costs no new SMS */
    if (equipment_report_check(&q, &in, anonymous, &r->err)) return reply_error(r);
    if (anonymous && !code) {
        aj_fail(&r->err, AJ_EINVAL, "code", "请填写短信验证码");
        return reply_error(r);
    }
    if (anonymous && otp_proof_check(r->db, EQUIPMENT_REPORT_PROOF, in.phone, code, &r->err))
        return reply_error(r);
    if (equipment_report(r->db, &r->who, &q, &in, anonymous, &r->a, &t, &r->err))
        return reply_error(r);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)t.id,
                          "no", t.no, "status", t.status, "priority", t.priority, "category",
                          t.category, "title", t.title, "equipment_id",
                          (json_int_t)q.e.id, "reported_at", out_time(t.reported_at, t.tz_offset));
    json_object_set_new(o, "anonymous", json_boolean(anonymous));
    reply_json(r, 201, o);
}
