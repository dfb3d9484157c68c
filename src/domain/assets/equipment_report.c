/* domain/assets/equipment_report.c: a fault reported from a QR label (/q/e/{token}): the
 * repair ticket lands on that piece of equipment, whoever scanned it. */
#include <string.h>

#include "domain/assets/assets.h"
#include "domain/org/org.h"

#define EQUIPMENT_REPORT_MAX 500

/* The ticket category a class's fault goes to (the seeded tree of 004_tickets.sql). */
static const char *equipment_report_category(const char *cls, int trapped)
{
    static const struct { const char *cls, *path; } map[] = {
        {"elevator", "电梯/故障停运"}, {"fire", "消防"},      {"water", "给排水"},
        {"power", "水电"},             {"lighting", "公共照明"}, {"access", "门窗/门禁"},
        {"cctv", "秩序安全"},
    };
    if (trapped) return "电梯/困人";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].cls, cls)) return map[i].path;
    return "其他/其他";
}

int equipment_report_check(const equipment_qr *q, const equipment_report_input *in,
                           int anonymous, aj_error *err)
{
    if (!in->description || !*in->description)
        return aj_fail(err, AJ_EINVAL, "description", "请描述故障情况");
    if (strlen(in->description) > EQUIPMENT_REPORT_MAX * 3)
        return aj_fail(err, AJ_EINVAL, "description", "故障描述最多 %d 字", EQUIPMENT_REPORT_MAX);
    if (in->trapped && strcmp(q->e.cls, "elevator"))
        return aj_fail(err, AJ_EINVAL, "trapped", "只有电梯可以报告困人");
    if (anonymous && !in->phone)
        return aj_fail(err, AJ_EINVAL, "phone", "请填写手机号并完成验证");
    if (anonymous && in->nphotos)
        return aj_fail(err, AJ_EINVAL, "photos", "匿名报修不能附照片，请登录后上传");
    return 0;
}

int equipment_report_anonymous(db *c, const actor *who, const equipment_qr *q, aj_error *err)
{
    if (q->full) return 0;
    if (who->role != ROLE_RESIDENT) return 1;
    int rc = actor_can_see_project(c, who, q->e.project_id, err);
    if (rc == AJ_ENOTFOUND) {
        memset(err, 0, sizeof *err);
        return 1;
    }
    return rc ? -1 : 0;
}

int equipment_report(db *c, const actor *who, const equipment_qr *q,
                     const equipment_report_input *in, int anonymous, arena *a, ticket *out,
                     aj_error *err)
{
    if (equipment_report_check(q, in, anonymous, err)) return err->rc;
    ticket_input t = {0};
    t.project_id = q->e.project_id;
    t.has_project = 1;
    t.kind = "repair";
    t.category = equipment_report_category(q->e.cls, in->trapped);
    t.priority = in->trapped ? "emergency" : !strcmp(q->e.criticality, "major") ? "high" : "normal";
    t.channel = "app";
    t.title = arena_printf(a, "【扫码报修】%s%s", arena_strcut(a, q->e.name, 60), in->trapped ? "：有人被困" : "");
    t.description =
        anonymous ? arena_printf(a, "%s\n\n扫码报修人电话：%s（已短信验证）\n设备位置：%s",
                                 in->description, in->phone, q->e.location)
                  : arena_printf(a, "%s\n\n设备位置：%s", in->description, q->e.location);
    t.equipment_id = q->e.id;
    t.has_equipment = 1;
    t.photos = in->photos;
    t.nphotos = in->nphotos;
    if (anonymous) {
        /* the report is the company's to answer: the system opens it for the caller */
        actor sys = actor_system("qr");
        sys.ip = who->ip;
        return ticket_create(c, &sys, &t, a, out, err);
    }
    if (who->role == ROLE_RESIDENT) {
        /* on the resident's room in this project, so it is in their own list to follow */
        resident me;
        if (resident_get(c, who, who->resident_id, a, &me, err)) return err->rc;
        if (me.nrooms) {
            t.room_id = me.room_ids[0];
            t.has_room = 1;
        }
    }
    return ticket_create(c, who, &t, a, out, err);
}
