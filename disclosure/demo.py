"""Demo records for `seed_demo`: disclosure items in every state and every scope, with opinions and answers, made
through the services so their timelines and history are real. Created once; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from disclosure import services
from disclosure.models import Category, DisclosureItem, Form, ItemState, Nature, Scope
from disclosure.permissions import committee_members
from governance.families import DemoContext


@dataclass(frozen=True)
class Spec:
    title: str
    category: str
    topic: str
    nature: str
    scope: str
    form: str
    state: str
    days_ago: int  # publish_from, before today
    content: str
    feedback: tuple[tuple[str, str, bool, str], ...] = ()  # (username, text, anonymous, answer or "")
    widen_to: str = ""  # 先党内、后党外: a wider scope the office asks for, waiting for the committee
    revised: str = ""  # 三（一）4 再公开: the content of a second version, published (the first is archived)
    follow_up_days_ago: int = (
        0  # 三（三）阶段性工作: the follow-up date, before today (negative: still to come)
    )
    # 三（一）3 on a 社会 item: opinions left without logging in — (name, phone or email, text, answer or "")
    public_feedback: tuple[tuple[str, str, str, str], ...] = ()


SPECS = (
    Spec(
        "2026年度党委工作计划",
        Category.OPERATION,
        "年度党委工作计划",
        Nature.ROUTINE,
        Scope.STAFF,
        Form.WEBSITE,
        ItemState.ARCHIVED,
        300,
        "<p>2026年度党委工作计划共六个部分：</p><ol><li>加强政治建设</li><li>深化理论武装</li><li>夯实基层组织</li></ol>",
        (("jiaozhigong", "建议把青年教师思想政治工作单列一项。", False, "已在第三部分补充。"),),
    ),
    Spec(
        "校领导工作分工调整情况",
        Category.OPERATION,
        "校领导工作分工情况",
        Nature.TEMPORARY,
        Scope.PUBLIC,
        Form.WEBSITE,
        ItemState.RESPONDED,
        40,
        "根据工作需要，经校党委研究，对校领导工作分工作如下调整。\n\n各单位按调整后的分工请示报告工作。",
        (
            (
                "dangyuan",
                "建议同时公布各位校领导联系的学院。",
                False,
                "联系点安排已在“联系服务群众”栏目公开。",
            ),
        ),
    ),
    Spec(
        "2026年第三季度党费收缴管理情况",
        Category.ORGANIZATION,
        "党费收缴管理情况",
        Nature.ROUTINE,
        Scope.MEMBERS,
        Form.BULLETIN,
        ItemState.PUBLISHED,
        20,
        "<p>第三季度全校应交党费与实交党费一致，<strong>无欠交</strong>。明细见附件。</p>",
        (("dangyuan", "建议按党支部公布明细。", True, ""),),
    ),
    Spec(
        "校内处级干部任职前公示",
        Category.CADRES,
        "校内干部任职前公示及干部任免事项",
        Nature.TEMPORARY,
        Scope.PUBLIC,
        Form.BOARD,
        ItemState.PUBLISHED,
        3,
        "经校党委研究，拟任用以下同志为处级干部，现予公示。公示期间如有意见，请向党委组织部反映。",
        revised="经校党委研究，拟任用以下同志为处级干部，现予公示。\n\n"
        "公示期间如有意见，请向党委组织部或纪委办公室反映（已补充受理单位）。",
        public_feedback=(
            ("王建国", "wangjg@example.com", "建议公示时附上拟任人员的主要工作经历。", ""),
            (
                "刘女士",
                "13912345678",
                "公示期能否延长到七个工作日？",
                "公示期按规定为五个工作日，已电话说明。",
            ),
        ),
    ),
    Spec(
        "领导班子民主生活会召开情况",
        Category.OPERATION,
        "领导班子民主生活会召开情况",
        Nature.PHASE,
        Scope.LEADERS,
        Form.MEETING,
        ItemState.PUBLISHED,
        10,
        "<p>校领导班子召开专题民主生活会，班子成员逐一开展批评和自我批评。</p>",
        widen_to=Scope.MEMBERS,
        follow_up_days_ago=12,
    ),
    Spec(
        "党委中心组学习情况（第四季度）",
        Category.IDEOLOGY,
        "党委中心组学习情况",
        Nature.ROUTINE,
        Scope.MEMBERS,
        Form.NOTICE,
        ItemState.APPROVED,
        -2,
        "第四季度党委中心组集体学习四次，专题研讨两次。",
    ),
    Spec(
        "党风廉政建设责任分工",
        Category.INTEGRITY,
        "党风廉政建设的目标和责任分工、廉政教育计划及其执行情况",
        Nature.ROUTINE,
        Scope.STAFF,
        Form.WEBSITE,
        ItemState.PENDING,
        -5,
        "<p>学校党委对党风廉政建设负主体责任，党委书记是第一责任人。</p>",
    ),
    Spec(
        "年度发展党员情况",
        Category.ORGANIZATION,
        "基层党组织发展党员的规定程序及年度发展党员情况",
        Nature.PHASE,
        Scope.MEMBERS,
        Form.BULLETIN,
        ItemState.RETURNED,
        -7,
        "本年度全校共发展党员若干名。",
        follow_up_days_ago=3,  # the phase ended three days ago and the item was returned: the office is reminded
    ),
    Spec(
        "校领导接待日安排",
        Category.OPERATION,
        "校领导接待日",
        Nature.TEMPORARY,
        Scope.PUBLIC,
        Form.WEBSITE,
        ItemState.PROPOSED,
        -10,
        "校领导接待日为隔周周一下午，地点在行政楼一楼接待室。",
    ),
)


def demo_records_seed(context: DemoContext) -> int:
    """Returns how many items it made (0 when the demo's items already exist or the demo has no office account
    or committee member)."""
    if DisclosureItem.objects.filter(title=SPECS[0].title).exists():
        return 0
    users = get_user_model().objects
    office = users.filter(username="office").first()
    approver = next(
        (p.user for p in committee_members(today=context.today).select_related("user") if p.user_id), None
    )
    if office is None or approver is None:
        return 0
    made = 0
    for spec in SPECS:
        item = services.item_propose(
            user=office,
            title=spec.title,
            content=spec.content,
            category=spec.category,
            topic=spec.topic,
            nature=spec.nature,
            scope=spec.scope,
            form=spec.form,
            publish_from=context.today - dt.timedelta(days=spec.days_ago),
            publish_until=None,
            follow_up_on=(
                context.today - dt.timedelta(days=spec.follow_up_days_ago)
                if spec.nature == Nature.PHASE
                else None
            ),
        )
        made += 1
        _walk(item, spec, office=office, approver=approver)
    return made


def _walk(item: DisclosureItem, spec: Spec, *, office, approver) -> None:
    order = [
        ItemState.PROPOSED,
        ItemState.PENDING,
        ItemState.APPROVED,
        ItemState.PUBLISHED,
        ItemState.RESPONDED,
        ItemState.ARCHIVED,
    ]
    if spec.state == ItemState.PROPOSED:
        return
    item = services.item_submit(item=item, user=office)
    if spec.state == ItemState.RETURNED:
        services.item_return(item=item, user=approver, reason="请补充分党支部的数据后再报。")
        return
    if spec.state == ItemState.PENDING:
        return
    item = services.item_approve(item=item, user=approver, note="同意公开。")
    if order.index(spec.state) < order.index(ItemState.PUBLISHED):
        return
    item = services.item_publish(item=item, user=office)
    users = get_user_model().objects
    for username, text, anonymous, answer in spec.feedback:
        author = users.filter(username=username).first()
        if author is None or not text:
            continue
        feedback = services.feedback_leave(item=item, user=author, text=text, anonymous=anonymous)
        if answer:
            services.feedback_respond(feedback=feedback, user=office, response=answer)
        elif spec.state == ItemState.PUBLISHED:
            _handle(feedback, office=office)
    if spec.widen_to:
        services.scope_widen_request(
            item=item, user=office, scope=spec.widen_to, reason="班子内部通报后无异议，拟向全体党员公开。"
        )
    if spec.revised:
        revision = services.item_revise(item=item, user=office, note="补充受理单位。")
        revision = services.item_update(item=revision, user=office, content=spec.revised)
        revision = services.item_submit(item=revision, user=office)
        revision = services.item_approve(item=revision, user=approver, note="同意再公开。")
        services.item_publish(item=revision, user=office)
    current = (
        item.revisions.order_by("-version").first() or item
    )  # 三（一）4: opinions go to the version shown
    for name, contact, text, answer in spec.public_feedback:
        feedback = services.feedback_leave_public(
            item=current, name=name, contact=contact, text=text, client_ip="demo-seed"
        )
        if answer:
            services.feedback_respond(feedback=feedback, user=office, response=answer)
    if spec.state == ItemState.PUBLISHED:
        return
    item = services.item_close_feedback(item=item, user=office, summary="意见已逐条答复，相关建议已采纳。")
    if spec.state == ItemState.ARCHIVED:
        services.item_archive(item=item, user=office)


def _handle(feedback, *, office) -> None:
    """三（一）3, 四（三）: an unanswered opinion handed to a department and escalated to the committee."""
    from governance.models import Organization

    department = (
        Organization.objects.filter(kind__in=(Organization.Kind.DEPARTMENT, Organization.Kind.COLLEGE))
        .exclude(name__in=("党委办公室", "校长办公室"))
        .order_by("-kind", "pk")  # a functional department if the demo has one, else a college
        .first()
    )
    if department is not None:
        services.feedback_assign(
            feedback=feedback, user=office, department=department, note="请研究后一周内提出意见。"
        )
    services.feedback_escalate(
        feedback=feedback, user=office, reason="涉及全校党费的公开方式，报校党委研究。"
    )
