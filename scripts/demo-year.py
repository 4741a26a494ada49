#!/usr/bin/python3
"""Write the files of the demo year 2026 that scripts/demo feeds to rdlz.

usage: scripts/demo-year.py --deputies DEPUTIES.csv --out DIR

DEPUTIES.csv is `rdlz list-deputies --format csv` of the demo roster (340
deputies, RZ0001-RZ0340). Into DIR go:

  calendar.csv        the 2026 holidays and swapped working days (set-calendar)
  departments.csv     twelve city departments (import-departments)
  routes.tsv          category -> department (set-route)
  photos/*.png        the snap-and-send photos of micro-suggestions
  events/*.csv        each event's join/leave log and its comments
  learning/*.csv      the e-learning log, one file a month (import-learning)
  surveys/*           survey definitions and batches of ballots
  plan.tsv            every step of the year, in time order: the time to set
                      RDLZ_NOW to, the step, who acts (RDLZ_ACTOR: a deputy's
                      code, a department's, 'citizen' or 'rd-office'), and the
                      step's fields (tab-separated, '-' for none); scripts/demo
                      runs it

Only the standard library, and one fixed seed: the same files come out every
time. The figures are built to land, as `rdlz event-stats` counts them, on
those the original platform (日照人大代表履职通) reported for a year: 1,200+ online
person-times and 3,800+ comments at meetings and inquiries, one inquiry on
rural revitalisation with exactly 107 deputies online and 358 comments, 20
court hearings with 2,200+ person-times and 4,900+ messages, and forums and
trainings with exactly 1,517 person-times. A deputy is online when connected
for at least attendance.online_share (50) percent of the event; the logs are
drawn so that each deputy is clearly above (60%+) or below (45%-) it.
"""

import argparse
import csv
import datetime as dt
import os
import random
import struct
import zlib

SEED = 2026
TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai: no summer time since 1991
YEAR_START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=TZ)
FINAL = dt.datetime(2026, 11, 28, 9, 0, tzinfo=TZ)  # the demo's "now"
ONLINE_SHARE = 50  # attendance.online_share, the default

rng = random.Random(SEED)


def T(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


def iso(t):
    return t.isoformat()


def local(t, seconds=False):
    return t.strftime('%Y-%m-%d %H:%M:%S' if seconds else '%Y-%m-%d %H:%M')


# ---------------------------------------------------------------------------
# The working calendar of 2026 (国务院办公厅关于2026年部分节假日安排的通知)

HOLIDAYS = {
    '元旦': [(1, 1), (1, 2), (1, 3)],
    '春节': [(2, d) for d in range(15, 24)],
    '清明节': [(4, 4), (4, 5), (4, 6)],
    '劳动节': [(5, d) for d in range(1, 6)],
    '端午节': [(6, 19), (6, 20), (6, 21)],
    '中秋节': [(9, 25), (9, 26), (9, 27)],
    '国庆节': [(10, d) for d in range(1, 8)],
}
SWAPPED_WORKDAYS = [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]
CALENDAR = {}
for _days in HOLIDAYS.values():
    for _m, _d in _days:
        CALENDAR[dt.date(2026, _m, _d)] = False
for _m, _d in SWAPPED_WORKDAYS:
    CALENDAR[dt.date(2026, _m, _d)] = True


def working(day):
    return CALENDAR.get(day, day.weekday() < 5)


def add_working_days(t, n):
    """As dt_calendar_add_working_days: the n-th working day after t, same time."""
    while n > 0:
        t += dt.timedelta(days=1)
        if working(t.date()):
            n -= 1
    return t


def office_time(day, earliest=None):
    """A time in office hours (08:30-17:30) on day, not before earliest."""
    lo = dt.datetime.combine(day, dt.time(8, 30), TZ)
    hi = dt.datetime.combine(day, dt.time(17, 30), TZ)
    if earliest and earliest > lo:
        lo = earliest
    if lo >= hi:
        return None
    span = int((hi - lo).total_seconds() // 60)
    return lo + dt.timedelta(minutes=rng.randint(1, max(1, min(span, 240))))


def office_day(t):
    """An office-hours time on the working day of t, or the one before."""
    day = t.date()
    while not working(day):
        day -= dt.timedelta(days=1)
    return office_time(day)


def office_after(t, wd_lo, wd_hi):
    """An office-hours time wd_lo to wd_hi working days after t (0: later the same day if possible)."""
    n = rng.randint(wd_lo, wd_hi)
    if n == 0 and working(t.date()):
        r = office_time(t.date(), t + dt.timedelta(minutes=20))
        if r:
            return r
        n = 1
    day = add_working_days(t, max(n, 1)).date()
    return office_time(day)


def awake(t):
    """Move t into 07:30-22:00, when deputies and citizens act."""
    if t.hour < 7 or (t.hour == 7 and t.minute < 30):
        return t.replace(hour=7, minute=30) + dt.timedelta(minutes=rng.randint(0, 90))
    if t.hour >= 22:
        return (t + dt.timedelta(days=1)).replace(hour=7, minute=30) + dt.timedelta(minutes=rng.randint(0, 90))
    return t


def random_time(lo, hi, hours=(8, 21)):
    """A time between lo and hi, at a waking hour."""
    for _ in range(1000):
        t = lo + dt.timedelta(seconds=rng.randint(0, int((hi - lo).total_seconds())))
        t = t.replace(hour=rng.randint(hours[0], hours[1] - 1), minute=rng.randint(0, 59), second=0)
        if lo <= t <= hi:
            return t
    raise SystemExit('demo-year.py: no time between %s and %s' % (lo, hi))


# ---------------------------------------------------------------------------
# Departments and routes

DEPARTMENTS = [
    # code, name, e-mail, webhook name, category routed to it
    ('ZJJ', '市住房和城乡建设局', 'zjj@rizhao.example.gov.cn', '', '住房建设'),
    ('JTJ', '市交通运输局', 'jtj@rizhao.example.gov.cn', '', '道路交通'),
    ('CGJ', '市城市管理局', 'cgj@rizhao.example.gov.cn', '', '城市管理'),
    ('HBJ', '市生态环境局', 'hbj@rizhao.example.gov.cn', '', '生态环境'),
    ('SLJ', '市水利局', 'slj@rizhao.example.gov.cn', '', '水利'),
    ('JYJ', '市教育局', 'jyj@rizhao.example.gov.cn', '', '教育'),
    ('WJW', '市卫生健康委员会', 'wjw@rizhao.example.gov.cn', '', '医疗卫生'),
    ('MZJ', '市民政局', 'mzj@rizhao.example.gov.cn', '', '养老服务'),
    ('NYJ', '市农业农村局', '', '市农业农村局联络员', '农业农村'),
    ('GAJ', '市公安局', 'gaj@rizhao.example.gov.cn', '', '社会治安'),
    ('SCJ', '市市场监督管理局', '', '市市场监管局联络员', '食品安全'),
    ('RSJ', '市人力资源和社会保障局', 'rsj@rizhao.example.gov.cn', '', '就业社保'),
]
ROUTE = {cat: code for code, _, _, _, cat in DEPARTMENTS}

ROADS = ['海曲中路', '泰安路', '烟台路', '威海路', '青岛路', '北京路', '济南路', '山东路', '黄海一路', '正阳路',
         '望海路', '荣昌路', '昭阳路', '日照北路', '兴业路', '临沂路', '上海路', '深圳路', '天津路', '枣庄路']
COMMUNITIES = ['望海社区', '海曲社区', '金海岸社区', '新市区社区', '碧海社区', '兴海社区', '阳光社区', '东方社区',
               '世纪社区', '汇源社区', '海滨社区', '安泰社区', '桃花岛社区', '城东社区', '北关社区']
VILLAGES = ['东石河村', '王家庄村', '前店村', '后崖村', '大官庄村', '小官庄村', '东于家村', '薛家村', '丁家楼村',
            '西王家村', '北岭村', '南沟村', '上元村', '刘家湾村', '张家台村', '石沟村', '杨家庄村', '河西村']
RIVERS = ['傅疃河', '沭河', '绣针河', '巨峰河', '潮河', '两城河', '竹子河', '崮河']
SCHOOLS = ['中心小学', '实验小学', '第二实验小学', '初级中学', '第三中学']

# category, title, text, answer. Slots: {area} the deputy's town or street,
# {road}, {community}, {village}, {river}, {school}.
SUGGESTIONS = [
    ('住房建设', '{community}老旧小区加装电梯推进缓慢',
     '{area}{community}多为上世纪九十年代建成的六层住宅，老年住户比例高，上下楼困难。居民加装电梯意愿强烈，但审批环节多、费用分摊难协调。建议简化加装电梯审批流程，加大财政补贴，由街道牵头协调分摊方案。',
     '已将该小区纳入今年老旧小区改造加装电梯计划，审批实行“一窗受理、并联审批”，市级补贴每部电梯20万元，街道已组织业主协商分摊方案。'),
    ('住房建设', '{community}雨污管网混接导致返臭',
     '{area}{community}雨水管与污水管混接，雨天污水外溢、井口返臭，影响居民生活。建议对小区管网进行排查改造，实施雨污分流。',
     '经排查，该小区存在混接点7处，已列入雨污分流改造项目，年底前完工，施工期间设置临时排水设施。'),
    ('住房建设', '{area}城中村燃气管道老化存在隐患',
     '{area}部分城中村燃气管道铺设年代久、锈蚀严重，部分立管暴露在外，存在安全隐患。建议开展燃气管道老化更新改造。',
     '已会同燃气企业完成现场排查，老化管道已列入城市燃气管道更新改造计划，分两批实施，第一批已完工。'),
    ('住房建设', '{community}物业服务不到位',
     '{area}{community}物业公司保洁不及时，公共设施损坏长期不修，业主多次反映未果。建议加强物业服务监管，推动成立业主委员会。',
     '已约谈物业企业并责令限期整改，将其纳入物业服务企业信用评价，街道正指导小区依法成立业主委员会。'),
    ('道路交通', '{area}{school}门口上下学时段交通拥堵',
     '{area}{school}门口道路狭窄，上下学时段接送车辆乱停乱放，学生过马路存在安全隐患。建议增设临时停车泊位和护学岗，施划斑马线、设置减速带。',
     '已会同公安交警、教育部门现场勘查，增设临时停车泊位40个，施划斑马线、设置减速带，上下学时段安排护学岗。'),
    ('道路交通', '{village}通镇农村公路路面破损',
     '{area}{village}通往镇驻地的农村公路多处坑洼、路肩塌陷，雨天积水，群众出行不便。建议纳入农村公路提档升级计划。',
     '该路段已纳入今年农村公路提档升级计划，已完成路面修补和路肩加固，全线改造于明年汛期前完成。'),
    ('道路交通', '{area}新建小区周边公交线路覆盖不足',
     '{area}新建小区入住率已过半，但周边一公里内没有公交站点，老人和学生出行困难。建议优化公交线路、增设站点。',
     '已优化调整3条公交线路，新增站点2处，高峰时段发车间隔由20分钟缩短至12分钟。'),
    ('道路交通', '{village}段国道穿村缺少交通安全设施',
     '国道穿{area}{village}而过，车速快、无信号灯和隔离设施，村民横穿公路十分危险。建议增设减速标志、警示灯和人行横道。',
     '已在该路段增设减速标志4处、爆闪警示灯2处，施划人行横道并设置行人过街提示装置。'),
    ('城市管理', '{road}{area}段路灯损坏长期未修',
     '{road}{area}段有十余盏路灯不亮，夜间道路漆黑，行人和电动车通行不安全。建议尽快维修，并建立路灯巡查机制。',
     '已更换损坏灯具16盏、修复线路2处，并将该路段纳入路灯日常巡查，发现故障24小时内修复。'),
    ('城市管理', '{area}背街小巷环境卫生脏乱',
     '{area}部分背街小巷垃圾清运不及时，乱堆乱放现象突出。建议增设垃圾桶、提高清运频次。',
     '已增设分类垃圾桶30组，清运频次由每日一次增至两次，并纳入城市管理网格化考核。'),
    ('城市管理', '{road}早市占道经营影响通行',
     '{area}{road}早市摊位占用机动车道，早高峰拥堵严重，散场后垃圾遍地。建议规划疏导点，规范经营时间。',
     '已在附近规划便民疏导点一处，划定经营区域和时段，安排专人管理，散场后30分钟内完成保洁。'),
    ('城市管理', '{road}共享单车乱停乱放',
     '{road}沿线共享单车堆积，占用盲道和人行道，行人通行受阻。建议施划停放区，督促运营企业及时调度。',
     '已施划非机动车停放区12处，约谈运营企业，要求高峰时段每2小时调度清理一次。'),
    ('生态环境', '{area}企业夜间排放异味扰民',
     '{area}周边企业夜间排放刺鼻异味，附近居民反映强烈。建议加强夜间执法检查和在线监测。',
     '已开展夜间突击检查，责令相关企业完成废气治理设施整改，安装在线监测设备并与生态环境部门联网。'),
    ('生态环境', '{river}{area}段水体发黑发臭',
     '{river}{area}段部分水体发黑、漂浮物多，夏季异味明显。建议排查沿线排污口，开展河道综合整治。',
     '已排查沿线排污口11个，封堵非法排污口3个，开展清淤保洁，水质明显改善，并纳入河长制日常巡河。'),
    ('生态环境', '{road}附近建筑工地扬尘污染',
     '{area}{road}附近建筑工地围挡不全、渣土车未覆盖，扬尘严重。建议加强工地扬尘管控。',
     '已对该工地下达整改通知，落实围挡、覆盖、冲洗等措施，安装扬尘在线监测，渣土车辆全部密闭运输。'),
    ('水利', '{village}自来水水压不足',
     '{area}{village}地势较高，用水高峰时段自来水水压不足，部分农户家中经常停水。建议改造升级供水管网。',
     '已在该村增设加压泵站一处，更换老化管网2.3公里，高峰时段供水已恢复正常。'),
    ('水利', '{village}塘坝年久失修存在汛期隐患',
     '{area}{village}塘坝坝体渗漏、溢洪道淤堵，汛期存在安全隐患。建议尽快除险加固。',
     '该塘坝已列入小型水库和塘坝除险加固计划，汛前已完成溢洪道清淤和坝体防渗处理。'),
    ('水利', '{river}{area}段堤防护坡破损',
     '{river}{area}段部分堤防护坡塌陷，影响行洪安全。建议汛前修复。',
     '已完成堤防护坡修复约800米，并将该河段纳入汛期重点巡查范围。'),
    ('教育', '{area}中小学课后服务内容单一',
     '{area}双职工家庭多，放学后学生无人接送照看，现有课后服务以看管为主。建议丰富课后延时服务内容。',
     '辖区中小学已全部开展课后服务，增设科技、体育、艺术等社团课程，家长可按需选择。'),
    ('教育', '{area}农村学校音体美教师短缺',
     '{area}农村学校音体美和英语教师短缺，部分课程开不齐、开不足。建议通过交流轮岗、定向招聘补齐短板。',
     '今年已通过城乡教师交流轮岗、定向招聘为农村学校补充音体美教师26名，“送教下乡”常态化开展。'),
    ('教育', '{area}新建小区配套幼儿园学位紧张',
     '{area}新建住宅小区集中入住，配套幼儿园尚未建成，适龄儿童入园难。建议加快配套幼儿园建设。',
     '配套幼儿园已开工建设，计划明年秋季招生，过渡期间通过周边幼儿园扩班增加学位180个。'),
    ('医疗卫生', '{village}卫生室常用药品种类少',
     '{area}{village}卫生室常用药品种类少，慢性病患者需到镇上取药，很不方便。建议丰富村卫生室药品目录。',
     '已将常用慢性病药品纳入村卫生室配备目录，由镇卫生院统一配送，并开通慢病长处方服务。'),
    ('医疗卫生', '{area}医院周边就医停车难',
     '{area}医院周边停车位严重不足，就诊车辆排队进院，造成周边道路拥堵。建议挖潜增加停车位，推行预约停车。',
     '医院已挖潜新增停车位260个，推行分时段预约诊疗和错峰停车，周边拥堵明显缓解。'),
    ('医疗卫生', '{community}家庭医生签约服务流于形式',
     '{area}{community}部分居民签约家庭医生后未得到随访服务。建议提升家庭医生签约服务质量。',
     '已开展签约服务质量专项督导，落实重点人群每季度随访，签约居民可通过热线直接联系家庭医生团队。'),
    ('养老服务', '{area}社区老年食堂覆盖不足',
     '{area}独居和高龄老人较多，就餐难问题突出。建议在社区建设老年食堂或助餐点。',
     '已在该街道新建社区长者食堂2处、助餐点3处，对80岁以上老人给予就餐补贴。'),
    ('养老服务', '{village}农村幸福院运行困难',
     '{area}{village}幸福院缺少运营经费和服务人员，基本处于闲置状态。建议完善运营补贴机制。',
     '已落实农村幸福院运营补贴，引入专业养老机构连锁运营，幸福院已恢复日间照料服务。'),
    ('养老服务', '{community}居家适老化改造政策知晓率低',
     '{area}{community}不少老年人不了解居家适老化改造补贴政策。建议加大宣传力度、简化申请流程。',
     '已通过社区、网格员上门宣传政策，申请改为“线上一网通办、线下社区代办”，今年已完成改造320户。'),
    ('农业农村', '{area}高标准农田后期管护缺位',
     '{area}高标准农田建成后，机井、田间道路等设施损坏无人维修。建议建立管护机制，落实管护经费。',
     '已制定高标准农田建后管护办法，明确镇村管护责任，落实管护经费，损坏设施已修复。'),
    ('农业农村', '{village}特色农产品销售渠道单一',
     '{area}{village}茶叶、蓝莓等特色农产品主要靠商贩收购，价格不稳。建议搭建电商平台，培育区域公用品牌。',
     '已将该村纳入电商进农村示范项目，开展直播带货培训，“日照绿茶”区域公用品牌授权覆盖该村合作社。'),
    ('农业农村', '{village}人居环境整治长效机制不健全',
     '{area}{village}垃圾清运不及时，部分沟渠淤塞。建议建立农村人居环境长效管护机制。',
     '已推行“村收集、镇转运、区处理”模式，落实保洁员队伍，沟渠清淤已完成，纳入月度考评。'),
    ('社会治安', '{community}电动车充电“飞线”隐患',
     '{area}{community}居民从楼上拉线给电动车充电，存在火灾隐患。建议建设集中充电设施并加强巡查。',
     '已会同街道、物业建设集中充电桩120个，开展“飞线”充电专项整治，清理私拉电线56处。'),
    ('社会治安', '{area}老年人反诈宣传需加强',
     '{area}老年人遭遇电信网络诈骗的案例增多。建议加强反诈宣传进社区、进农村。',
     '已组织民警深入社区、村居开展反诈宣传120余场，推广国家反诈中心APP，对重点人群开展预警劝阻。'),
    ('社会治安', '{road}夜间飙车噪音扰民',
     '{area}{road}夜间经常有改装车辆飙车，噪音扰民并存在安全隐患。建议加强夜间巡逻和抓拍。',
     '已在该路段增设噪声抓拍设备，开展夜间专项整治，查处改装、超速车辆43辆。'),
    ('食品安全', '{area}{school}周边流动摊贩食品安全隐患',
     '{area}{school}周边流动摊贩售卖“三无”食品，学生购买较多。建议加强校园周边食品安全监管。',
     '已开展校园周边食品安全专项整治，取缔无证流动摊贩12处，建立学校周边常态巡查机制。'),
    ('食品安全', '{area}农贸市场快检室未正常运行',
     '{area}农贸市场快检室经常关门，蔬菜农残检测结果未公示。建议督促市场开办方落实快检制度。',
     '已督促市场开办方配齐检测人员，每日开展农残快检，并在市场大屏公示检测结果。'),
    ('食品安全', '{road}沿街小餐饮后厨卫生差',
     '{area}{road}沿街部分小餐饮店后厨卫生条件差，个别无证经营。建议加强检查，推行“明厨亮灶”。',
     '已检查沿街餐饮单位48家，责令整改9家，推动30家安装“明厨亮灶”设备。'),
    ('就业社保', '{area}建筑工地拖欠农民工工资',
     '{area}部分建筑工地存在拖欠农民工工资现象。建议落实工资专户和实名制管理。',
     '已督促相关项目落实农民工工资专用账户和实名制管理，协调支付拖欠工资86万元。'),
    ('就业社保', '灵活就业人员参保不便',
     '{area}快递员、网约车司机等灵活就业人员参保渠道不畅，政策知晓率低。建议优化参保服务。',
     '已开通灵活就业人员线上参保渠道，在快递网点、驿站开展政策宣传，参保手续可“掌上办”。'),
    ('就业社保', '{area}返乡创业担保贷款审批慢',
     '{area}返乡创业青年反映创业担保贷款申请材料多、审批慢。建议简化流程、加大扶持力度。',
     '创业担保贷款已实行“一次告知、容缺受理”，审批时限压缩至5个工作日，并组织创业导师一对一帮扶。'),
]

SECOND_ROUND_ANSWERS = [
    '针对代表提出的意见，局分管负责同志带队再次到现场办理，已制定整改清单并逐项落实，整改情况已当面向代表汇报。',
    '经再次核查，前次答复中的措施落实不到位，现已追加专项资金，明确完成时限，并安排专人跟踪督办。',
    '已与属地街道、村居召开协调会，对代表反映的问题逐项研究，整改措施已全部落实到位。',
]
DISSATISFIED_NOTES = ['答复未解决实际问题', '整改措施未落实到位', '答复内容空泛，没有明确时限', '问题仍然存在，群众意见较大']
SATISFIED_NOTES = ['问题已解决，群众满意', '办理及时，措施有力', '已到现场查看，整改到位', '-']
BASIC_NOTES = ['问题基本解决，建议持续跟踪', '已部分整改，后续措施待落实', '-']
ACCEPT_NOTES = ['{dept}办公室受理', '{dept}已受理，转业务科室办理', '{dept}受理，分管负责同志牵头办理']
CLOSE_NOTES = {'satisfied': ['代表满意，结案', '办结归档', '已回访代表，结案'],
               'basic': ['办结归档', '已回访代表，结案，后续措施持续跟踪'],
               'dissatisfied': ['三轮办理后代表仍不满意，结案并报主任会议督办']}

# text, result, feedback, department (when forwarded)
REQUESTS = [
    ('小区路灯坏了好几盏，晚上出门不方便。', '已协调城管部门更换路灯5盏，恢复照明。', 'CGJ'),
    ('楼下烧烤店油烟太大，晚上十一点还在营业，影响休息。', '市场监管和城管部门已现场检查，店主加装了油烟净化器并调整了营业时间。', 'SCJ'),
    ('村里到镇上的公交车一天只有两班，能不能多开几班？', '已向交通运输部门反映，公交公司已增加两个班次。', 'JTJ'),
    ('孩子户口在村里，想咨询到城区上学的政策。', '已向教育部门了解入学政策，并告知所需材料和报名时间。', 'JYJ'),
    ('家里老人养老金认证不会操作。', '已联系社区工作人员上门协助完成认证。', 'RSJ'),
    ('小区门口的路面塌陷了一个坑，很危险。', '已协调住建部门设置警示并完成修补。', 'ZJJ'),
    ('自来水有时候发黄，担心水质有问题。', '已协调供水单位检测水质并冲洗管网，检测结果合格。', 'SLJ'),
    ('小区电梯经常坏，物业修得很慢。', '已约物业和维保单位现场检修，更换主板，并约定故障2小时内到场。', 'ZJJ'),
    ('家门口的排水沟堵了，一下雨就积水。', '已协调村里组织人员清淤疏通。', 'SLJ'),
    ('想了解一下高龄津贴怎么申请。', '已告知申请条件和流程，并协助通过社区代办提交申请。', 'MZJ'),
    ('邻居家养狗不拴绳，孩子被吓到好几次。', '已联系社区和物业开展文明养犬宣传，并与邻居沟通，对方表示今后出门拴绳。', 'GAJ'),
    ('在工地干活被拖欠了三个月工资。', '人社部门已介入，施工单位已支付拖欠工资。', 'RSJ'),
    ('村里的健身器材坏了，老人锻炼不安全。', '已协调镇文体站更换损坏器材。', 'MZJ'),
    ('菜市场门口经常堵车，早上出门要绕很远。', '已向城管和交警部门反映，早高峰增派人员疏导。', 'CGJ'),
    ('农田灌溉机井坏了，眼看要浇地了。', '已协调镇农业站维修机井，已恢复灌溉。', 'NYJ'),
    ('医保异地备案手续不会办，想问问怎么弄。', '已帮助通过手机完成异地就医备案。', 'WJW'),
    ('小区里有人私搭乱建，占用公共绿地。', '综合执法部门已现场核查，违建已拆除。', 'CGJ'),
    ('路口红绿灯时间太短，老人过马路来不及。', '已向交警部门反映，行人信号灯时间延长了10秒。', 'GAJ'),
    ('家里是低保户，房子漏雨，想申请危房改造。', '镇政府已现场查看，已纳入农村危房改造计划。', 'ZJJ'),
    ('夜里附近工地施工噪音很大，影响孩子学习。', '已向生态环境和住建部门反映，工地已停止夜间施工。', 'HBJ'),
    ('村里的垃圾桶好几天没人清运，天热味道很大。', '已协调镇环卫所恢复每日清运。', 'CGJ'),
    ('想给孩子报名职业技能培训，不知道哪里有免费的。', '已告知人社部门免费培训项目和报名方式。', 'RSJ'),
    ('公交站牌信息太旧，线路改了还没更新。', '已联系公交公司更新站牌信息。', 'JTJ'),
    ('小区充电桩太少，电动车充电要排队。', '已协调物业和供电公司新增充电桩20个。', 'ZJJ'),
    ('冬天暖气不热，室温只有十四五度。', '已协调供热公司上门排查，更换阀门后室温达到20度。', 'ZJJ'),
    ('村口的桥栏杆断了，担心孩子掉下去。', '已协调交通部门修复栏杆。', 'JTJ'),
    ('学校门口有卖辣条的小摊，不知道卫生不卫生。', '市场监管部门已检查并取缔无证摊点。', 'SCJ'),
    ('河边有人倾倒建筑垃圾，污染环境。', '已协调生态环境和城管部门清运垃圾并加强巡查。', 'HBJ'),
]
FEEDBACK = ['已电话告知群众办理结果，群众表示满意。', '已上门向群众反馈办理情况，群众认可。',
            '已通过短信告知群众办理结果。', '已在联络站当面向群众反馈，群众表示感谢。']
TAKE_NOTES = ['已电话联系群众', '已到现场查看', '已接收，正在核实情况', '-']

SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文'
GIVEN = ['秀英', '桂兰', '建国', '志强', '海燕', '丽娟', '明', '伟', '芳', '娜', '敏', '静', '磊', '洋', '艳',
         '勇', '军', '杰', '娟', '涛', '超', '霞', '平', '刚', '玉兰', '淑珍', '凤英', '晓东', '春梅', '德胜']


def citizen():
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def fake_phone():
    return '1380000%04d' % rng.randint(0, 9999)  # obviously fake


# ---------------------------------------------------------------------------
# The plan: steps of the year, each at a time; ids are given in time order.

class Ref:
    """An object rdlz numbers (case, event, article, survey): its id is known once the plan is sorted."""

    def __init__(self, kind):
        self.kind = kind
        self.id = None

    def __str__(self):
        assert self.id is not None, self.kind
        return str(self.id)


PLAN = []
_seq = [0]


OFFICE = 'rd-office'  # the congress office's staff, in the audit log


def step(t, op, *fields, creates=None, actor=OFFICE):
    assert t < FINAL, (t, op, fields)
    _seq[0] += 1
    PLAN.append((t, _seq[0], op, actor, fields, creates))


def clean(field):
    s = str(field) if field is not None and field != '' else '-'
    assert '\t' not in s and '\n' not in s, s
    return s


# ---------------------------------------------------------------------------
# Deputies

def read_deputies(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        rows = [r for r in csv.DictReader(f) if r['status'] == 'active' and r['code']]
    if len(rows) < 200:
        raise SystemExit('demo-year.py: %s: expected the demo roster of 340 deputies' % path)
    for r in rows:
        r['area'] = r['station'].replace('人大代表联络站', '') or '东港区'
    return rows


def slots(dep):
    """The values of a template's slots, drawn once so that a title and its text agree."""
    return {'area': dep['area'], 'road': rng.choice(ROADS), 'community': rng.choice(COMMUNITIES),
            'village': rng.choice(VILLAGES), 'river': rng.choice(RIVERS), 'school': rng.choice(SCHOOLS)}


# ---------------------------------------------------------------------------
# Micro-suggestions: 132, moved through every state of the life cycle

GEO_CENTRES = {'东港区代表团': (35.42, 119.46), '岚山区代表团': (35.12, 119.32), '莒县代表团': (35.58, 118.84),
               '五莲县代表团': (35.75, 119.21), '日照经济技术开发区代表团': (35.37, 119.45),
               '山海天旅游度假区代表团': (35.52, 119.58)}


def suggestion_plan(deps, photos):
    # fate: the state at year end; ratings: the rating of each round; window: when it is filed
    fates = []
    sat_basic = ['satisfied'] * 72 + ['basic'] * 24
    rng.shuffle(sat_basic)
    for r in sat_basic:
        fates.append(('closed', [r], (T(2026, 1, 6), T(2026, 10, 23))))
    for r in ['satisfied'] * 5 + ['basic'] * 3:
        fates.append(('closed', ['dissatisfied', r], (T(2026, 1, 6), T(2026, 8, 31))))
    fates.append(('closed', ['dissatisfied', 'dissatisfied', 'basic'], (T(2026, 2, 2), T(2026, 6, 30))))
    fates.append(('closed', ['dissatisfied', 'dissatisfied', 'dissatisfied'], (T(2026, 3, 2), T(2026, 6, 30))))
    for r in [['satisfied'], ['satisfied'], ['satisfied'], ['basic'], ['dissatisfied', 'satisfied']]:
        fates.append(('rated', r, (T(2026, 9, 14), T(2026, 10, 28))))
    for r in [[None]] * 5 + [['dissatisfied', None]]:
        fates.append(('answered', r, (T(2026, 10, 12), T(2026, 11, 4))))
    for _ in range(3):
        fates.append(('accepted-overdue', [None], (T(2026, 9, 1), T(2026, 10, 16))))
    for r in [[None]] * 3 + [['dissatisfied', None]]:
        fates.append(('accepted', r, (T(2026, 11, 11), T(2026, 11, 24)) if r == [None] else (T(2026, 10, 8), T(2026, 10, 20))))
    for _ in range(2):
        fates.append(('assigned-overdue', [None], (T(2026, 11, 9), T(2026, 11, 23))))
    for _ in range(2):
        fates.append(('assigned', [None], (T(2026, 11, 26, 10), T(2026, 11, 27, 21))))
    fates.append(('assigned', ['dissatisfied', None], (T(2026, 10, 26), T(2026, 11, 10))))
    for _ in range(3):
        fates.append(('filed', [None], (T(2026, 11, 24), T(2026, 11, 27, 21))))
    assert len(fates) == 132, len(fates)

    out = []
    templates = list(range(len(SUGGESTIONS)))
    for fate, ratings, window in fates:
        for attempt in range(500):
            life = suggestion_life(fate, ratings, window)
            if life:
                break
        else:
            raise SystemExit('demo-year.py: no life for a suggestion of fate %s' % fate)
        dep = rng.choice(deps)
        tpl = SUGGESTIONS[rng.choice(templates)]
        category, title, text, answer = tpl
        values = slots(dep)
        out.append((life, dep, category, title.format(**values), text.format(**values), answer, fate))
    out.sort(key=lambda x: x[0][0][0])

    for life, dep, category, title, text, answer, fate in out:
        ref = Ref('case')
        dept = ROUTE[category]
        routed = life[0][1] == 'routed'
        snap = rng.random() < 0.4
        photo = rng.choice(photos) if snap else None
        if snap and rng.random() < 0.6:
            la, ln = GEO_CENTRES.get(dep['delegation'], (35.42, 119.46))
            geo = '%.5f,%.5f' % (la + rng.uniform(-0.06, 0.06), ln + rng.uniform(-0.06, 0.06))
            place = None
        else:
            geo = None
            place = dep['area'] + rng.choice(['', '辖区', '驻地']) if rng.random() < 0.7 else None
        rnd = 0
        for t, what in life:
            if what in ('routed', 'unrouted'):
                step(t, 'sug', ref, dep['code'], category if routed else None, place, geo, photo, title, text,
                     creates=ref, actor=dep['code'])
            elif what == 'assign':
                step(t, 'assign', ref, dept, '经办公室审核，转%s办理' % dept_name(dept))
            elif what == 'accept':
                step(t, 'accept', ref, rng.choice(ACCEPT_NOTES).format(dept=dept_name(dept)), actor=dept)
            elif what == 'answer':
                rnd += 1
                step(t, 'answer', ref, answer if rnd == 1 else SECOND_ROUND_ANSWERS[(rnd - 2 + len(title)) % 3],
                     actor=dept)
            elif what.startswith('rate:'):
                r = what[5:]
                notes = {'satisfied': SATISFIED_NOTES, 'basic': BASIC_NOTES, 'dissatisfied': DISSATISFIED_NOTES}[r]
                step(t, 'rate', ref, dep['code'], {'satisfied': '满意', 'basic': '基本满意', 'dissatisfied': '不满意'}[r],
                     rng.choice(notes), actor=dep['code'])
                rating = r
            elif what == 'close':
                step(t, 'close', ref, rng.choice(CLOSE_NOTES[rating]))
    return out


def dept_name(code):
    for c, name, _, _, _ in DEPARTMENTS:
        if c == code:
            return name
    raise KeyError(code)


def suggestion_life(fate, ratings, window):
    """The steps (time, what) of one suggestion, or None when they do not fit its fate."""
    filed = random_time(*window)
    routed = fate != 'filed' and rng.random() < 0.9
    life = [(filed, 'routed' if routed else 'unrouted')]
    if fate == 'filed':
        return life if filed < FINAL - dt.timedelta(hours=2) else None
    t = filed
    if not routed:
        t = office_after(t, 1, 3)
        life.append((t, 'assign'))
    final_state = fate.split('-')[0]
    overdue = fate.endswith('overdue')
    for rnd, rating in enumerate(ratings, 1):
        last = rnd == len(ratings)
        assigned_at = t
        accept_due = add_working_days(assigned_at, 2)
        if last and final_state == 'assigned':
            if overdue:
                return life if accept_due < FINAL - dt.timedelta(hours=4) and t < FINAL else None
            return life if t < FINAL and accept_due > FINAL else None
        late_accept = rng.random() < 0.08
        t = office_after(t, 3, 4) if late_accept else office_after(t, 0, 1)
        life.append((t, 'accept'))
        answer_due = add_working_days(t, 15)
        if last and final_state == 'accepted':
            if overdue:
                return life if answer_due < FINAL - dt.timedelta(days=3) else None
            return life if t < FINAL and answer_due > FINAL else None
        late = rng.random() < 0.12
        t = office_after(t, 16, 22) if late else office_after(t, 3, 14)
        assert (t > answer_due) == late, (t, answer_due, late)
        life.append((t, 'answer'))
        if last and final_state == 'answered':
            return life if t < FINAL else None
        t = awake(t + dt.timedelta(hours=rng.randint(4, 24 * 6)))
        life.append((t, 'rate:' + rating))
        if rating == 'dissatisfied' and rnd < 3:
            continue  # back to assigned for another round, at once
        if last and final_state == 'rated':
            return life if t < FINAL else None
        t = office_after(t, 1, 3)
        life.append((t, 'close'))
        return life if t < FINAL - dt.timedelta(days=20) else None
    raise AssertionError(fate)


# ---------------------------------------------------------------------------
# Citizens' requests: 150, through submitted, taken, forwarded, resolved, fed_back, closed

def request_plan(deps):
    fates = [('closed', (T(2026, 1, 5), T(2026, 11, 8)))] * 118
    fates += [('fed_back', (T(2026, 11, 5), T(2026, 11, 24)))] * 8
    fates += [('resolved', (T(2026, 11, 8), T(2026, 11, 25)))] * 7
    fates += [('forwarded', (T(2026, 11, 2), T(2026, 11, 25)))] * 6
    fates += [('taken', (T(2026, 11, 18), T(2026, 11, 27, 20)))] * 6
    fates += [('submitted-overdue', (T(2026, 11, 22), T(2026, 11, 26, 8)))] * 3
    fates += [('submitted', (T(2026, 11, 27, 10), T(2026, 11, 28, 8)))] * 2
    assert len(fates) == 150
    out = []
    for fate, window in fates:
        for attempt in range(500):
            life = request_life(fate, window)
            if life:
                break
        else:
            raise SystemExit('demo-year.py: no life for a request of fate %s' % fate)
        out.append((life, fate))
    out.sort(key=lambda x: x[0][0][0])
    for life, fate in out:
        ref = Ref('case')
        dep = rng.choice(deps)
        text, result, dept = rng.choice(REQUESTS)
        via = 'qr' if rng.random() < 0.6 else 'deputy'
        name = citizen() if rng.random() < 0.85 else None
        phone = fake_phone() if rng.random() < 0.75 else None
        where = dep['area'] + (rng.choice(COMMUNITIES) if rng.random() < 0.5 else rng.choice(VILLAGES))
        forwarded = any(what == 'forward' for _, what in life)
        for t, what in life:
            if what == 'submit':
                step(t, 'req', ref, dep['code'], via, name, phone, where, text, creates=ref,
                     actor='citizen' if via == 'qr' else dep['code'])
            elif what == 'take':
                step(t, 'take', ref, dep['code'], rng.choice(TAKE_NOTES), actor=dep['code'])
            elif what == 'forward':
                step(t, 'assign', ref, dept, '转%s办理' % dept_name(dept), actor=dep['code'])
            elif what == 'resolve':
                step(t, 'resolve', ref, result, actor=dep['code'] if not forwarded else dept)
            elif what == 'feedback':
                step(t, 'feedback', ref, rng.choice(FEEDBACK), actor=dep['code'])
            elif what == 'close':
                step(t, 'rclose', ref, rng.choice(['-', '-', '群众满意，办结']), actor=dep['code'])
    return out


def request_life(fate, window):
    t = random_time(*window, hours=(7, 22))
    life = [(t, 'submit')]
    if fate.startswith('submitted'):
        if fate.endswith('overdue'):
            return life if t + dt.timedelta(hours=24) < FINAL else None
        return life if t < FINAL and t + dt.timedelta(hours=24) > FINAL else None
    late = rng.random() < 0.12
    t = awake(t + dt.timedelta(minutes=rng.randint(25 * 60, 60 * 60) if late else rng.randint(20, 18 * 60)))
    life.append((t, 'take'))
    if fate == 'taken':
        return life if t < FINAL else None
    forwarded = fate == 'forwarded' or rng.random() < 0.3
    if forwarded:
        t = awake(t + dt.timedelta(minutes=rng.randint(30, 24 * 60)))
        life.append((t, 'forward'))
        if fate == 'forwarded':
            return life if t < FINAL else None
        t = office_after(t, 2, 12)
    else:
        t = awake(t + dt.timedelta(minutes=rng.randint(3 * 60, 7 * 24 * 60)))
    life.append((t, 'resolve'))
    if fate == 'resolved':
        return life if t < FINAL else None
    t = awake(t + dt.timedelta(minutes=rng.randint(60, 48 * 60)))
    life.append((t, 'feedback'))
    if fate == 'fed_back':
        return life if t < FINAL else None
    t = office_after(t, 0, 3)
    life.append((t, 'close'))
    return life if t < FINAL - dt.timedelta(days=5) else None


# ---------------------------------------------------------------------------
# Events: meetings and inquiries (云列席), court hearings (云旁听), forums and
# trainings (云课堂), with join/leave logs and comments

STREAM = 'https://live.rizhao.example.cn/s/%d'

MEETING_AGENDA = [
    ['市人民政府关于2025年度国有资产管理情况的综合报告', '日照市物业管理条例（草案）', '人事任免事项'],
    ['市人民政府关于2025年市级决算草案的报告', '日照市海洋牧场管理条例（草案）', '市中级人民法院关于行政审判工作情况的报告'],
    ['市人民政府关于2025年度环境状况和环境保护目标完成情况的报告', '日照市养老服务条例（修订草案）', '人事任免事项'],
    ['市人民政府关于上半年国民经济和社会发展计划执行情况的报告', '市人民政府关于上半年预算执行情况的报告', '日照市城市绿化条例（草案）'],
    ['市人民政府关于2025年度市级预算执行和其他财政收支的审计工作报告', '市人民检察院关于公益诉讼检察工作情况的报告', '人事任免事项'],
    ['市人民政府关于养老服务体系建设情况的报告', '日照市物业管理条例（草案修改稿）', '市人民政府关于审计查出问题整改情况的报告'],
    ['市人民政府关于优化营商环境工作情况的报告', '日照市海洋牧场管理条例（草案修改稿）', '人事任免事项'],
    ['市人民政府关于法治政府建设情况的报告', '关于召开市二十届人大七次会议的决定（草案）', '市人民政府关于优化营商环境工作情况的报告'],
]
MEETING_COMMENTS = [
    '赞成{item}，建议进一步细化落实措施。', '同意{item}。', '{item}总体可行，建议明确责任单位和完成时限。',
    '建议{item}更多听取基层群众意见。', '{item}数据翔实，建议增加与往年的对比分析。',
    '建议加强对{item}执行情况的跟踪监督。', '支持{item}，个别条款表述建议再斟酌。',
    '基层反映比较集中的问题在{item}中有回应，很好。', '建议把{item}中的任务清单化、项目化。',
    '同意，建议报告中的问题整改情况向代表通报。', '建议加大民生领域投入。', '建议进一步压减一般性支出，保障基本民生。',
    '对条例草案中的法律责任部分建议再研究。', '建议条例草案增加对物业服务质量的评价机制。',
    '报告实事求是，问题找得准。', '建议常委会持续跟踪问题整改。', '赞成。', '同意报告。',
    '建议重视农村地区的实际情况。', '建议加强部门之间的协同配合。', '建议举一反三，建立长效机制。',
    '线上列席很方便，建议常态化开展。', '建议把代表意见的采纳情况及时反馈给代表。',
]
INQUIRIES = {
    'rural': ('专题询问：全面推进乡村振兴', [
        '高标准农田建设后期管护怎么落实？', '建议加大对村集体经济薄弱村的扶持力度。', '农村人居环境整治要建立长效机制。',
        '乡村人才引不进、留不住，有什么具体举措？', '建议完善农产品冷链物流体系。', '“日照绿茶”品牌建设还要加力。',
        '农村养老服务短板明显，建议统筹考虑。', '建议加快农村供水管网改造。', '农村公路提档升级要兼顾后期养护。',
        '土地流转后农民增收渠道还不够多。', '建议加强对新型农业经营主体的金融支持。', '农村电商人才培训要更接地气。',
        '和美乡村建设要避免千村一面。', '回答很具体，希望抓好落实。', '请问衔接资金的使用效益如何评估？',
        '海洋渔业也是乡村振兴的重要内容，建议统筹。', '村级“一肩挑”后的监督怎么加强？', '建议把询问中的承诺事项列出清单。',
        '农村学校撤并后学生上学远的问题要重视。', '乡村医生待遇偏低，队伍不稳定。', '茶园基础设施建设资金缺口大。',
        '建议设立乡村振兴专项督查。', '应询部门回答直面问题，点赞。', '回答还不够具体，建议会后书面答复。',
        '建议加大对返乡创业青年的支持。', '农村垃圾分类要因地制宜。', '防返贫监测要精准，不漏一户。',
        '大棚设施用地审批难，能否简化？', '农机购置补贴兑付要及时。', '建议把乡村振兴工作纳入代表视察重点。',
    ]),
    'elderly': ('专题询问：养老服务体系建设', [
        '社区嵌入式养老机构的建设进度如何？', '长者食堂的可持续运营怎么保障？', '农村幸福院闲置问题要研究解决。',
        '养老护理员缺口大，待遇偏低。', '建议扩大长期护理保险覆盖范围。', '医养结合要打通医保报销的堵点。',
        '居家适老化改造补贴标准能否提高？', '对失能老人家庭的照护支持要加强。', '养老机构消防安全要常抓不懈。',
        '智慧养老平台老人不会用，要考虑适老化。', '回答很实在，希望抓好落实。', '建议把养老服务纳入民生实事。',
        '社会资本参与养老的政策要稳定。', '独居老人的关爱巡访要常态化。', '建议加强对养老机构收费的监管。',
    ]),
    'business': ('专题询问：持续优化营商环境', [
        '涉企检查“扫码入企”推行情况如何？', '拖欠中小企业账款的清欠进度请介绍一下。', '企业开办还能不能再提速？',
        '建议建立涉企政策“免申即享”清单。', '融资难融资贵问题仍然突出。', '工程建设项目审批时限还有压缩空间。',
        '港口物流成本偏高，建议研究降费措施。', '要保护民营企业合法权益。', '建议畅通企业诉求反映渠道。',
        '回答直面问题，态度诚恳。', '政务服务“一网通办”有的事项还要跑腿。', '建议对营商环境开展第三方评估。',
        '人才公寓配套要跟上。', '建议规范行政处罚自由裁量权。', '招商承诺要兑现，提振企业信心。',
    ]),
}
HEARINGS = [
    ('日照市中级人民法院', '张某某等非法捕捞水产品刑事附带民事公益诉讼案', '被告人在禁渔期内使用禁用网具在近岸海域捕捞，公诉机关同时提起附带民事公益诉讼，请求判令被告人增殖放流、修复海洋生态。'),
    ('日照市中级人民法院', '某港口物流公司与某贸易公司海上货物运输合同纠纷案', '原告主张被告未按约支付港口堆存费及运费，被告以货物短少为由抗辩。'),
    ('东港区人民法院', '王某诉某物业服务公司物业服务合同纠纷案', '业主以物业服务不达标为由拒交物业费，物业公司起诉追索，庭审中双方就服务质量举证质证。'),
    ('日照市中级人民法院', '李某某等电信网络诈骗案', '被告人组织他人以“刷单返利”为名实施诈骗，涉案金额三百余万元，被害人遍及多个省份。'),
    ('岚山区人民法院', '某钢铁公司环境污染责任纠纷案', '周边养殖户诉称企业排放废水导致鱼塘损失，请求赔偿，庭审围绕因果关系和损失鉴定展开。'),
    ('日照市中级人民法院', '某建筑公司诉某置业公司建设工程施工合同纠纷案', '施工方起诉追索工程款及逾期付款利息，发包方以工程质量问题提出反诉。'),
    ('莒县人民法院', '赵某等追索劳动报酬纠纷案', '二十余名农民工起诉追索被拖欠的工资，法院适用简易程序并当庭组织调解。'),
    ('日照市中级人民法院', '某食品公司诉市市场监督管理局行政处罚案', '行政机关负责人出庭应诉，双方就处罚事实认定和裁量幅度进行辩论。'),
    ('东港区人民法院', '孙某危险驾驶案', '被告人醉酒驾驶机动车，适用认罪认罚从宽制度，庭审展示速裁程序。'),
    ('日照市中级人民法院', '某茶叶公司诉某电商公司侵害商标权纠纷案', '原告主张被告在网店销售假冒其注册商标的绿茶产品，请求停止侵权并赔偿损失。'),
    ('五莲县人民法院', '某村委会与某农业公司土地承包经营权流转合同纠纷案', '村委会以公司改变土地用途为由请求解除流转合同，庭审涉及耕地保护问题。'),
    ('日照市中级人民法院', '刘某某帮助信息网络犯罪活动案', '被告人出租、出售银行卡供他人用于电信网络诈骗资金流转，庭审中进行了以案释法。'),
    ('岚山区人民法院', '陈某诉某保险公司机动车交通事故责任纠纷案', '原告在交通事故中受伤，就伤残等级和赔偿项目与保险公司发生争议。'),
    ('日照市中级人民法院', '周某某非法占用农用地案', '被告人未经批准在基本农田上建设厂房，检察机关同时提起附带民事公益诉讼，请求恢复原状。'),
    ('东港区人民法院', '某小区业主委员会诉某开发公司商品房买卖合同纠纷案', '业主委员会以小区配套设施未按规划建设为由起诉开发商，请求履行合同义务。'),
    ('日照市中级人民法院', '某涉未成年人抚养纠纷案', '离婚后双方就子女抚养权和抚养费发生争议，法院发出家庭教育指导令。'),
    ('莒县人民法院', '某农资店销售伪劣种子案', '被告人销售不合格玉米种子致使农户减产，庭审后法院当庭宣判并责令赔偿。'),
    ('日照市中级人民法院', '某化工公司诉市生态环境局行政处罚案', '企业对超标排放处罚不服提起诉讼，行政机关负责人出庭应诉并当庭答辩。'),
    ('日照市中级人民法院', '吴某某等非法采矿案', '被告人在河道内非法采砂，破坏河道生态，庭审围绕采砂数量和价值鉴定展开。'),
    ('日照市中级人民法院', '某民间借贷纠纷系列案', '多名出借人起诉同一借款人，法院合并审理并审查是否涉嫌非法集资。'),
]
HEARING_MESSAGES = [
    '庭审程序规范，法官驾驭庭审能力强。', '通过云旁听了解了审判工作，很受教育。', '建议加强诉前调解，减少诉累。',
    '以案释法效果好，建议多组织此类旁听。', '法官释法说理清楚，当事人容易接受。', '公诉人指控有力，证据展示清晰。',
    '辩护人的意见也得到了充分表达。', '这类案件在基层比较常见，要加强普法宣传。', '建议加大对涉案财产的追缴力度。',
    '庭审直播画面清晰，声音效果好。', '行政机关负责人出庭应诉值得肯定。', '建议把典型案例在代表中通报。',
    '案件审理体现了司法为民。', '调解工作做得细致，案结事了。', '希望法院加强判决执行。',
    '对当事人的权利告知很充分。', '建议加强对未成年人的司法保护。', '生态修复的判决方式很有意义。',
    '庭审节奏把握得好，争议焦点归纳准确。', '电信诈骗危害大，要加强源头治理。', '建议对企业开展法律风险提示。',
    '旁听后对法院工作有了更直观的认识。', '建议进一步提高审判效率。', '法官语言规范，庭审秩序良好。',
    '证人出庭作证，增强了庭审实质化。', '建议法院与代表联络站建立常态联系。', '请法院关注案件判决后的回访。',
    '本案对同类纠纷有示范意义。', '农民工讨薪案件处理及时，点赞。', '希望多旁听民生类案件。',
]
FORUMS = [
    ('forum', '代表履职论坛：如何提出高质量的代表建议', T(2026, 3, 19, 14, 30), 150, 268),
    ('training', '2026年度市人大代表履职学习培训班', T(2026, 5, 14, 9, 0), 180, 262),
    ('forum', '代表论坛：人大代表助力乡村振兴', T(2026, 7, 16, 14, 30), 150, 241),
    ('training', '代表议案建议撰写专题培训', T(2026, 8, 13, 9, 0), 150, 247),
    ('forum', '代表论坛：基层立法联系点建设', T(2026, 10, 22, 14, 30), 150, 259),
    ('training', '预算审查监督专题培训', T(2026, 11, 12, 9, 0), 150, 240),
]
FORUM_COMMENTS = [
    '讲得很实用，收获很大。', '建议多举办这样的培训。', '希望把课件发给代表们学习。', '案例分析很有启发。',
    '建议增加互动交流环节。', '对提高履职能力很有帮助。', '线上学习很方便，为基层代表点赞。',
    '希望下次讲讲预算审查的具体方法。', '建议结合本地实际多讲案例。', '学习了，回去结合联络站工作抓好落实。',
]


def span_seconds(intervals, start, end):
    """The seconds of the union of intervals within [start, end], as rdlz counts them."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if min(b, end) > max(a, start))
    total, cur_a, cur_b = 0, None, None
    for a, b in clipped:
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                total += (cur_b - cur_a).total_seconds()
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        total += (cur_b - cur_a).total_seconds()
    return total


def sec(t0, t1):
    return t0 + dt.timedelta(seconds=rng.randint(0, int((t1 - t0).total_seconds())))


def attendance(start, end, n_online, n_partial, deps):
    """Join/leave intervals per deputy: n_online clearly online, n_partial clearly partial."""
    length = (end - start).total_seconds()
    chosen = rng.sample(deps, n_online + n_partial)
    people = []
    for i, dep in enumerate(chosen):
        online = i < n_online
        for _ in range(1000):
            if online:
                join = start + dt.timedelta(seconds=rng.randint(-15 * 60, 20 * 60))
                leave = end + dt.timedelta(seconds=rng.randint(-25 * 60, 20 * 60))
                iv = [(join, leave)]
                if rng.random() < 0.25:
                    cut = sec(join + dt.timedelta(minutes=10), leave - dt.timedelta(minutes=20))
                    iv = [(join, cut), (cut + dt.timedelta(seconds=rng.randint(60, 900)), leave)]
                ok = span_seconds(iv, start, end) * 100 >= (ONLINE_SHARE + 10) * length
            else:
                join = start + dt.timedelta(seconds=rng.randint(-5 * 60, int(length * 0.7)))
                leave = join + dt.timedelta(seconds=rng.randint(int(length * 0.05), int(length * 0.38)))
                iv = [(join, leave)]
                ok = span_seconds(iv, start, end) * 100 <= (ONLINE_SHARE - 5) * length and leave > start
            if ok:
                break
        else:
            raise SystemExit('demo-year.py: cannot draw an attendance')
        people.append((dep, online, iv))
    return people


def write_log(path, people, end):
    rows = []
    for dep, online, iv in people:
        for k, (a, b) in enumerate(iv):
            still = k == len(iv) - 1 and a < end <= b and rng.random() < 0.3  # still connected at export
            rows.append((a, dep['code'], dep['name'], local(a, True), '' if still else local(b, True),
                         rng.choice(['手机', '手机', '电脑', '平板'])))
    rows.sort()
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['代表编号', '姓名', '进入时间', '离开时间', '终端'])
        for r in rows:
            w.writerow(r[1:])
    return len(rows)


def write_comments(path, people, start, end, n, pool, header='评论内容'):
    """n comments, each by an attendee at a second they were connected; no two alike."""
    speakers = [p for p in people if rng.random() < 0.75] or people
    weights = [rng.choice([1, 1, 2, 3, 5]) for _ in speakers]
    seen = set()
    rows = []
    while len(rows) < n:
        dep, online, iv = rng.choices(speakers, weights)[0]
        a, b = rng.choice(iv)
        a, b = max(a, start + dt.timedelta(minutes=2)), min(b, end)
        if b <= a:
            continue
        t = sec(a, b)
        text = pool() if callable(pool) else rng.choice(pool)
        key = (dep['code'], local(t, True), text)
        if key in seen:
            continue
        seen.add(key)
        rows.append((t, dep['code'], text))
    rows.sort()
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['代表编号', '发言时间', header])
        for t, code, text in rows:
            w.writerow([code, local(t, True), text])
    return len(rows)


def spread(total, n, lo, hi):
    """n whole numbers in [lo, hi] that add up to total."""
    xs = [rng.randint(lo, hi) for _ in range(n)]
    while sum(xs) != total:
        i = rng.randrange(n)
        if sum(xs) < total and xs[i] < hi:
            xs[i] += 1
        elif sum(xs) > total and xs[i] > lo:
            xs[i] -= 1
    return xs


EVENTS = []  # (ref, kind, title, start, end, people, files...), filled by event_plan


def event_plan(deps, out):
    evdir = os.path.join(out, 'events')
    os.makedirs(evdir, exist_ok=True)
    specs = []  # kind, title, start, minutes, online, partial, comments, pool, extra

    # Standing-committee meetings, with a special inquiry the afternoon of three of them
    meeting_days = [T(2026, 2, 26), T(2026, 4, 23), T(2026, 6, 25), T(2026, 7, 30), T(2026, 8, 27),
                    T(2026, 9, 24), T(2026, 10, 29), T(2026, 11, 26)]
    meeting_online = [108, 116, 112, 119, 104, 115, 121, 117]
    meeting_comments = [312, 347, 298, 366, 289, 341, 372, 330]
    for i, day in enumerate(meeting_days):
        agenda = MEETING_AGENDA[i]
        pool = (lambda agenda=agenda: rng.choice(MEETING_COMMENTS).format(item=rng.choice(agenda)))
        specs.append(('meeting', '市二十届人大常委会第%s次会议' % ['二十二', '二十三', '二十四', '二十五', '二十六', '二十七', '二十八', '二十九'][i],
                      day.replace(hour=9), 150, meeting_online[i], rng.randint(5, 12), meeting_comments[i], pool,
                      {'place': '市人大常委会会议室'}))
    inquiries = [('rural', T(2026, 6, 25, 14, 30), 107, 9, 358), ('elderly', T(2026, 9, 24, 14, 30), 113, 7, 431),
                 ('business', T(2026, 11, 26, 14, 30), 104, 8, 418)]
    for key, start, online, partial, comments in inquiries:
        title, pool = INQUIRIES[key]
        specs.append(('inquiry', title, start, 150, online, partial, comments, pool,
                      {'place': '市人大常委会会议室', 'key': key}))

    # Twenty court hearings: 2,236 person-times and 4,936 messages
    hearing_days = []
    for month in range(1, 12):
        busy = [d.date() for d in meeting_days] + [f[2].date() for f in FORUMS]
        for k in range(1 if month in (1, 2) else 2):
            for _ in range(100):
                day = T(2026, month, rng.randint(12 if month == 1 else 2, 25))
                if working(day.date()) and day.date() not in busy + [d.date() for d in hearing_days]:
                    break
            hearing_days.append(day)
    hearing_days = sorted(hearing_days)[:20]
    assert len(hearing_days) == 20
    h_online = spread(2236, 20, 96, 128)
    h_messages = spread(4936, 20, 190, 300)
    for i, day in enumerate(hearing_days):
        court, case, summary = HEARINGS[i]
        start = day.replace(hour=9) if rng.random() < 0.6 else day.replace(hour=14, minute=30)
        specs.append(('hearing', '云旁听：' + case, start, rng.choice([120, 150, 150, 180]), h_online[i],
                      rng.randint(4, 14), h_messages[i], HEARING_MESSAGES,
                      {'court': court, 'summary': summary, 'place': court + '第一审判庭'}))

    # Forums and trainings: exactly 1,517 person-times
    for kind, title, start, minutes, online in FORUMS:
        specs.append((kind, title, start, minutes, online, rng.randint(6, 15), rng.randint(35, 90), FORUM_COMMENTS,
                      {'place': '市人大代表培训中心'}))
    assert sum(s[4] for s in specs if s[0] in ('forum', 'training')) == 1517

    for kind, title, start, minutes, online, partial, n_comments, pool, extra in specs:
        ref = Ref('event')
        end = start + dt.timedelta(minutes=minutes)
        created = max(office_day(start - dt.timedelta(days=rng.randint(12, 20))), T(2026, 1, 5, 10, 0))
        announce = max(office_day(start - dt.timedelta(days=rng.randint(3, 6))), created + dt.timedelta(hours=1))
        people = attendance(start, end, online, partial, deps)
        step(created, 'event', ref, kind, title, local(start), local(end), extra.get('place'),
             STREAM % rng.randint(100, 999), local(announce), extra.get('court'), extra.get('summary'), creates=ref)
        EVENTS.append({'ref': ref, 'kind': kind, 'title': title, 'start': start, 'end': end, 'people': people,
                       'n_comments': n_comments, 'pool': pool, 'key': extra.get('key'), 'online': online,
                       'header': '留言内容' if kind == 'hearing' else '评论内容'})
        step(end + dt.timedelta(minutes=40), 'record', ref, 'LOG', 'COMMENTS', kind, local(start)[:10], title)

    # The figures the logs and comment files are drawn to give (event-stats counts them so)
    def total(kinds, what):
        return sum(ev[what] for ev in EVENTS if ev['kind'] in kinds)
    rural = [ev for ev in EVENTS if ev['key'] == 'rural']
    assert total(('meeting', 'inquiry'), 'online') >= 1200 and total(('meeting', 'inquiry'), 'n_comments') >= 3800
    assert len(rural) == 1 and rural[0]['online'] == 107 and rural[0]['n_comments'] == 358
    assert len([ev for ev in EVENTS if ev['kind'] == 'hearing']) == 20
    assert total(('hearing',), 'online') >= 2200 and total(('hearing',), 'n_comments') >= 4900
    assert total(('forum', 'training'), 'online') == 1517

    # An activity to come, announced before the demo's "now": queue-reminders tells every deputy
    ref = Ref('event')
    step(T(2026, 11, 20, 10, 12), 'event', ref, 'activity', '代表集中视察：2026年市级重点民生实事项目',
         '2026-12-03 09:00', '2026-12-03 16:30', '市人大常委会机关门前集合', '-', '2026-11-26 09:00', '-', '-',
         creates=ref)


def write_event_files(out):
    """Once ids are known: each event's log and comments, named by its id."""
    for ev in EVENTS:
        eid = ev['ref'].id
        log = os.path.join('events', 'event-%02d-log.csv' % eid)
        com = os.path.join('events', 'event-%02d-comments.csv' % eid)
        write_log(os.path.join(out, log), ev['people'], ev['end'])
        n = write_comments(os.path.join(out, com), ev['people'], ev['start'], ev['end'], ev['n_comments'],
                           ev['pool'], ev['header'])
        assert n == ev['n_comments']
        ev['log'], ev['comments'] = log, com
        ev['eligible'] = [p[0] for p in ev['people']]


# ---------------------------------------------------------------------------
# Learning: articles of the knowledge window, and the e-learning log

ARTICLES = [
    (T(2026, 1, 12, 10, 0), '代表法修正要点解读', 'https://rd.rizhao.example.cn/zsck/2026/001', ['法律', '代表法']),
    (T(2026, 3, 2, 10, 0), '如何写好一件代表建议', 'https://rd.rizhao.example.cn/zsck/2026/014', ['履职']),
    (T(2026, 4, 15, 10, 0), '预算审查监督基础知识', 'https://rd.rizhao.example.cn/zsck/2026/027', ['预算', '监督']),
    (T(2026, 6, 1, 10, 0), '乡村振兴促进法学习要点', 'https://rd.rizhao.example.cn/zsck/2026/041', ['法律', '乡村振兴']),
    (T(2026, 8, 20, 10, 0), '专题询问怎么问：各地经验做法', 'https://rd.rizhao.example.cn/zsck/2026/058', ['监督']),
    (T(2026, 10, 9, 10, 0), '人大代表联络站工作规范', 'https://rd.rizhao.example.cn/zsck/2026/073', ['履职', '联络站']),
]
ARTICLE_REFS = []


def learning_plan(deps):
    for when, title, url, tags in ARTICLES:
        ref = Ref('article')
        ARTICLE_REFS.append((when, ref))
        step(when, 'article', ref, title, url, ' '.join(tags), creates=ref)
    months = []
    for month in range(1, 12):
        lo = T(2026, month, 1, 0, 0)
        last = (T(2026, month + 1, 1) - dt.timedelta(days=1)).day if month < 11 else 27
        hi = T(2026, month, last, 23, 0)  # the platform's export, imported at the month's end
        imported = T(2026, month, last, 23, 30)
        n = rng.randint(70, 95) if month != 2 else rng.randint(45, 60)
        path = 'learning/learning-2026-%02d.csv' % month
        months.append((path, lo, hi, n))
        step(imported, 'learning', path)
    return months


def write_learning(out, deps, months):
    os.makedirs(os.path.join(out, 'learning'), exist_ok=True)
    learners = rng.sample(deps, 150)  # some deputies learn a lot, most a little
    weights = [rng.choice([1, 1, 1, 2, 3, 6]) for _ in learners]
    for path, lo, hi, n in months:
        rows, seen = [], set()
        while len(rows) < n:
            dep = rng.choices(learners, weights)[0]
            t = random_time(max(lo, YEAR_START), hi, hours=(7, 23))
            published = [ref for when, ref in ARTICLE_REFS if when < t]
            art = str(rng.choice(published)) if published and rng.random() < 0.65 else ''
            key = (dep['code'], t, art)
            if key in seen:
                continue
            seen.add(key)
            rows.append((t, dep['code'], rng.choice([10, 15, 20, 25, 30, 40, 45, 60, 90]), art))
        rows.sort()
        with open(os.path.join(out, path), 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(['代表编号', '学习时长', '学习时间', '文章'])
            for t, code, minutes, art in rows:
                w.writerow([code, minutes, local(t), art])


# ---------------------------------------------------------------------------
# Surveys (云测评)

SURVEYS = []


def survey_plan(deps):
    rural = [ev for ev in EVENTS if ev['key'] == 'rural'][0]
    dg = [d for d in deps if d['delegation'] == '东港区代表团']
    specs = [
        # name, created, opened, votes [(time, file-or-single, how many, channel)], closed, definition
        ('zjj', T(2026, 7, 6, 10, 0), T(2026, 7, 7, 9, 0),
         [(T(2026, 7, 8, 20, 15), 'one'), (T(2026, 7, 30, 11, 50), 160), (T(2026, 8, 5, 17, 0), 95)],
         T(2026, 8, 7, 17, 0),
         {'title': '市住房和城乡建设局微建议办理情况测评', 'subject': 'department:ZJJ',
          'items': ['办理态度', '办理结果', '办理时效'], 'scale': 'satisfied3', 'secret': 'yes', 'eligible': 'all'},
         deps),
        ('rural', rural['end'] + dt.timedelta(minutes=45), rural['end'] + dt.timedelta(minutes=50),
         [(rural['end'] + dt.timedelta(minutes=70), 101)], rural['end'] + dt.timedelta(minutes=80),
         {'title': '乡村振兴专题询问应询情况测评', 'subject': 'event:%s',
          'items': ['回答问题是否清楚', '整改措施是否可行', '应询态度是否诚恳'], 'scale': 'score5',
          'secret': 'no', 'eligible': 'event:%s'}, None),
        ('jtj', T(2026, 10, 12, 10, 0), T(2026, 10, 13, 9, 0),
         [(T(2026, 10, 20, 16, 0), 78), (T(2026, 10, 21, 9, 40), 'one')], T(2026, 10, 30, 17, 0),
         {'title': '市交通运输局办理情况测评（东港区代表团）', 'subject': 'department:JTJ',
          'items': ['办理态度', '办理结果'], 'scale': 'satisfied3', 'secret': 'yes',
          'eligible': 'delegation:东港区代表团'}, dg),
        ('wjw', T(2026, 11, 19, 10, 0), T(2026, 11, 20, 9, 0),
         [(T(2026, 11, 25, 17, 0), 117), (T(2026, 11, 26, 12, 10), 'one')], None,
         {'title': '市卫生健康委员会办理情况测评', 'subject': 'department:WJW',
          'items': ['办理态度', '办理结果', '沟通联系'], 'scale': 'satisfied3', 'secret': 'yes', 'eligible': 'all'},
         deps),
    ]
    for name, created, opened, votes, closed, definition, voters in specs:
        ref = Ref('survey')
        SURVEYS.append({'ref': ref, 'name': name, 'def': definition, 'voters': voters, 'votes': votes,
                        'rural': rural})
        step(created, 'survey', ref, 'surveys/%s.txt' % name, definition['title'], creates=ref)
        step(opened, 'open', ref)
        for k, (t, how) in enumerate(votes):
            if how == 'one':
                step(t, 'vote1', ref, 'ONE', '-')
            else:
                step(t, 'vote', ref, 'surveys/%s-ballots-%d.csv' % (name, k + 1), str(how))
        if closed:
            step(closed, 'closesurvey', ref)


def answer3():
    return rng.choices(['满意', '基本满意', '不满意', ''], [70, 22, 6, 2])[0]


def answer5():
    return rng.choices(['5', '4', '3', '2', '1', ''], [55, 30, 9, 3, 1, 2])[0]


def write_surveys(out):
    os.makedirs(os.path.join(out, 'surveys'), exist_ok=True)
    for s in SURVEYS:
        d = dict(s['def'])
        rural_id = s['rural']['ref'].id
        d['subject'] = d['subject'].replace('%s', str(rural_id))
        d['eligible'] = d['eligible'].replace('%s', str(rural_id))
        with open(os.path.join(out, 'surveys', s['name'] + '.txt'), 'w', encoding='utf-8') as f:
            f.write('# %s\n' % d['title'])
            f.write('title: %s\nsubject: %s\n' % (d['title'], d['subject']))
            for item in d['items']:
                f.write('item: %s\n' % item)
            f.write('scale: %s\nsecret: %s\neligible: %s\n' % (d['scale'], d['secret'], d['eligible']))
        voters = s['voters'] if s['voters'] is not None else s['rural']['eligible']
        pool = list(voters)
        rng.shuffle(pool)
        answer = answer5 if d['scale'] == 'score5' else answer3
        nitems = len(d['items'])
        fixed = []
        for k, (t, how) in enumerate(s['votes']):
            if how == 'one':
                dep = pool.pop()
                answers = ['%d=%s' % (i + 1, a) for i, a in enumerate(answer() for _ in range(nitems)) if a]
                fixed.append((k, dep['code'], ' '.join(answers) or '1=满意'))
                continue
            rows = [pool.pop() for _ in range(how)]
            rows.sort(key=lambda dep: dep['code'])
            path = os.path.join(out, 'surveys', '%s-ballots-%d.csv' % (s['name'], k + 1))
            with open(path, 'w', encoding='utf-8', newline='') as f:
                w = csv.writer(f, lineterminator='\n')
                onsite_batch = s['name'] in ('zjj',) and k == 1
                w.writerow(['代表编号', '渠道'] + ['第%d题' % (i + 1) for i in range(nitems)])
                for dep in rows:
                    a = [answer() for _ in range(nitems)]
                    if not any(a):
                        a[0] = '满意' if d['scale'] == 'satisfied3' else '5'
                    w.writerow([dep['code'], 'onsite' if onsite_batch else 'online'] + a)
        s['singles'] = fixed


# ---------------------------------------------------------------------------
# Photos: small PNGs, drawn here (snap-and-send needs a real image)

def png(path, w, h, colour, seed):
    r = random.Random(seed)
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            k = (x * 3 + y * 2) // 7 % 24
            raw += bytes(max(0, min(255, c + k - 12 + r.randint(-4, 4))) for c in colour)

    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)

    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(bytes(raw), 9)) + chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(data)


def write_photos(out):
    os.makedirs(os.path.join(out, 'photos'), exist_ok=True)
    colours = [(120, 120, 118), (90, 110, 140), (140, 120, 90), (70, 120, 80), (150, 150, 160), (110, 90, 80),
               (60, 90, 130), (130, 140, 110)]
    names = []
    for i, c in enumerate(colours, 1):
        name = 'photos/IMG_2026%04d.png' % (i * 37)
        png(os.path.join(out, name), 160, 120, c, SEED + i)
        names.append(name)
    return names


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--deputies', required=True, help='rdlz list-deputies --format csv of the demo roster')
    ap.add_argument('--out', required=True, help='the directory to write into')
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    deps = read_deputies(args.deputies)

    with open(os.path.join(out, 'calendar.csv'), 'w', encoding='utf-8', newline='') as f:
        f.write('日期,类型,名称\n')
        for name, days in HOLIDAYS.items():
            for m, d in days:
                f.write('2026-%02d-%02d,休,%s\n' % (m, d, name))
        for m, d in SWAPPED_WORKDAYS:
            f.write('2026-%02d-%02d,班,调休上班\n' % (m, d))
    with open(os.path.join(out, 'departments.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'name', 'email', 'webhook'])
        for code, name, email, hook, _ in DEPARTMENTS:
            w.writerow([code, name, email, hook])
    with open(os.path.join(out, 'routes.tsv'), 'w', encoding='utf-8') as f:
        for code, _, _, _, cat in DEPARTMENTS:
            f.write('%s\t%s\n' % (cat, code))

    photos = write_photos(out)
    sugs = suggestion_plan(deps, photos)
    reqs = request_plan(deps)
    event_plan(deps, out)
    months = learning_plan(deps)
    survey_plan(deps)
    for month in range(2, 12):
        step(T(2026, month, 1, 0, 0), 'month', '2026-%02d' % (month - 1))
    step(FINAL - dt.timedelta(seconds=1), 'month', '2026-11')

    # ids, in the order rdlz will give them
    PLAN.sort(key=lambda s: (s[0], s[1]))
    counters = {}
    for t, _, op, actor, fields, creates in PLAN:
        if creates is not None:
            counters[creates.kind] = counters.get(creates.kind, 0) + 1
            creates.id = counters[creates.kind]

    write_event_files(out)
    write_learning(out, deps, months)
    write_surveys(out)

    events = {ev['ref'].id: ev for ev in EVENTS}
    singles = {}
    for s in SURVEYS:
        singles[s['ref'].id] = list(s['singles'])
    with open(os.path.join(out, 'plan.tsv'), 'w', encoding='utf-8') as f:
        for t, _, op, actor, fields, creates in PLAN:
            fields = list(fields)
            if op == 'record':
                ev = events[fields[0].id]
                fields[1], fields[2] = ev['log'], ev['comments']
            if op == 'vote1':
                _, code, answers = singles[fields[0].id].pop(0)
                fields[1], fields[2], actor = code, answers, code
            f.write('\t'.join([iso(t), op, actor] + [clean(x) for x in fields]) + '\n')

    n_files = sum(len(files) for _, _, files in os.walk(out))
    print('demo-year.py: %d files in %s: %d suggestions, %d requests, %d events, %d articles, %d surveys, %d steps'
          % (n_files, out, len(sugs), len(reqs), len(EVENTS) + 1, len(ARTICLES), len(SURVEYS), len(PLAN)))


if __name__ == '__main__':
    main()
