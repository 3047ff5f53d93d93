"""Recognising bylines, datelines and photo credits.

These are patterns of *form* (names of two to four characters, role words that
end in a job title, the wire-service dateline formula) rather than lists of
particular people or newspapers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .punct import units

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = re.compile(rf"^[{HAN}]{{2,4}}$|^[{HAN}]{{1,6}}[·•・][{HAN}]{{1,8}}$")
_ROLE_SUFFIX = re.compile(
    rf"^[{HAN}A-Za-z0-9（）()]*?(记者|通讯员|实习生|编辑|撰稿人?|评论员|作者|部长|局长|厅长|处长|科长|主任|"
    r"书记|委员|主席|院长|校长|所长|馆长|站长|队长|会长|秘书长|经理|董事长|总裁|县长|市长|区长|镇长|乡长|"
    r"村长|省长|教授|研究员|讲师|教师|老师|专家|医生|护士|律师|民警|负责人|干部|代表|主编|社长|台长|"
    r"职工|工人|农民|村民|居民|学生|志愿者|工程师|设计师|技师|党员|网格员|摄影|文|图|文图|图文|院士|理事长|厂长|"
    r"组长|班长|庭长|检察长|法官|检察官|警官|博士|博士生|研究生|作家|诗人|画家|演员|导演|教练|运动员|主播|"
    r"科学家|馆员)[/:：]?$"
)
_LATIN_NAME = re.compile(r"^[A-Z][a-zA-Z'’.-]+(?: [A-Z][a-zA-Z'’.-]+){0,3}$")


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    trailing: str = ""  # a closing verb: 张三 报道 / 李四 整理


_TRAILING = ("报道", "整理", "采写", "撰文", "供稿", "编译", "综合", "执笔")


def _split_parts(token: str) -> list[str]:
    """``文/张三`` → [``文/``, ``张三``]; separators stay with the role before them."""
    parts = re.split(r"(?<=[/:：])", token)
    return [p for p in parts if p]


def parse_byline(text: str, *, pen_names: bool = False) -> Byline | None:
    """Parse a byline line such as ``中共某县委宣传部常务副部长 张三`` or ``弘文 刘峰``.

    Every part must be either a name or a role word, and the line must end with a
    name; otherwise this is not a byline and None is returned.  A line of bare names with
    no role word must start one of them with a family name, unless ``pen_names`` (inside a
    dateline's brackets, where a pen name such as 漳文 stands alone).
    """
    t = text.strip()
    if not t or units(t) > 40:
        return None
    m = re.match(r"^[Bb]y\s+(.+)$", t)
    if m:  # English byline: By Jane Doe and John Roe
        pieces = re.split(r"(,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)", m.group(1))
        names = [n.strip() for n in pieces[0::2]]
        if names and all(_LATIN_NAME.match(n) for n in names):
            roles = {names[0]: t[: m.start(1)].strip()}
            roles.update({n: sep.strip() for n, sep in zip(names[1:], pieces[1::2]) if sep.strip()})
            return Byline(names, roles)
        return None
    t = t.lstrip("□■◇◆●○ ")
    parts: list[str] = []
    for token in _join_spaced_names(t.split()):
        parts.extend(_split_parts(token))
    out = Byline()
    if len(parts) >= 2 and parts[-1] in _TRAILING:
        out.trailing = parts.pop()
    role, after_name = "", False
    for part in parts:
        if _is_name(part):
            out.authors.append(part)
            if role:
                out.roles[part] = role
            after_name = True
        elif _is_role(part):
            # Roles before a group of names apply to all of them: 本报记者 张三 李四.
            if after_name or not role:
                role = part
            else:
                role += part if role.endswith(("/", ":", "：")) else " " + part
            after_name = False
        else:
            return None
    if not out.authors or not after_name:
        return None
    if not pen_names and not out.roles and not out.trailing and (
            not any(_has_surname(a) for a in out.authors) or any(_four_words(a) for a in out.authors)):
        return None  # bare words that only look like names (人物小传, 延伸阅读; 盘活存量  提升效率)
    return out


def _join_spaced_names(tokens: list[str]) -> list[str]:
    """Two-character names are printed with a wide space inside (林  涛): join two lone
    Han characters into one name."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        a = tokens[i]
        if i + 1 < len(tokens) and _LONE_HAN.match(a) and _LONE_HAN.match(tokens[i + 1]):
            out.append(a + tokens[i + 1])
            i += 2
            continue
        out.append(a)
        i += 1
    return out


_LONE_HAN = re.compile(rf"^[{HAN}]$")
# The common Chinese family names (single and compound): a bare line of "names" with no
# role word is a byline only if one of them starts with a family name.
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉"
    "缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑"
    "郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊"
    "仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄"
    "邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束"
    "檀衣信展阴昝智幸奉植衡富尧闭由弘水竺")
_SURNAMES_2 = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
               "夏侯", "轩辕", "令狐", "端木", "西门", "南宫", "独孤", "呼延", "百里", "澹台", "万俟", "申屠"}


def _four_words(name: str) -> bool:
    """Four Han characters without a compound family name (欧阳, 司马 …): in a line of bare names
    that is a phrase (盘活存量), not a name — Han names are mostly two or three characters."""
    return bool(re.fullmatch(rf"[{HAN}]{{4,}}", name)) and name[:2] not in _SURNAMES_2


def _has_surname(name: str) -> bool:
    if not re.match(rf"^[{HAN}]", name):
        return True  # Latin or other scripts: no family-name test
    return name[:2] in _SURNAMES_2 or name[0] in _SURNAMES_1 or "·" in name


_STRONG_ROLE = ("记者", "通讯员", "编辑", "评论员", "实习生", "摄影", "撰稿")


def _is_role(part: str) -> bool:
    """A role word (本报记者, 某某县委书记, 文/), or several joined by 、 or ，
    (全国人大代表、某某村党支部书记)."""
    if _ROLE_SUFFIX.match(part) or part.endswith(("/", ":", "：")):
        return True
    pieces = re.split(r"[、，,]", part)
    return len(pieces) > 1 and all(p and _ROLE_SUFFIX.match(p) for p in pieces)


def _is_name(part: str) -> bool:
    return bool(_NAME.match(part)) and not part.endswith(_STRONG_ROLE)


def byline_text(authors: list[str], roles: dict[str, str]) -> str:
    """Rebuild the byline line from authors and their roles (inverse of parse_byline)."""
    out: list[str] = []
    last = None
    for name in authors:
        role = roles.get(name, "")
        if role and role != last:
            out.append(role)
        last = role
        out.append(name)
    return " ".join(out)


# 本报讯（记者 张三） / 本报北京4月6日讯 / 新华社北京4月6日电（记者 李四） / 据新华社报道
_DATELINE = re.compile(
    rf"^(?:(?:本报|本刊)[{HAN}\d]{{0,15}}?[讯电]|据?(?:新华社|中新社|中新网|人民网|新华网|央视网|央广网|光明网|中国新闻网)"
    rf"[{HAN}\d]{{0,20}}?电|据[{HAN}]{{2,20}}?报道)"
    r"(?:\s*[（(](?P<inner>[^（）()]{1,40})[)）])?"
)
_DATELINE_EN = re.compile(r"^(?P<place>[A-Z][A-Z .'-]{2,30}(?:, [A-Z][a-z]+\.? \d{1,2})?(?: \((?P<inner>[A-Za-z ]+)\))?)\s*(?:--|—|–)\s")


def parse_dateline(paragraph: str) -> tuple[str, list[str], dict[str, str]] | None:
    """Find a dateline at the start of a paragraph: (dateline, authors, roles)."""
    m = _DATELINE.match(paragraph)
    if m:
        authors: list[str] = []
        roles: dict[str, str] = {}
        inner = m.group("inner")
        if inner:
            inner = re.sub(r"^(记者|通讯员|实习生)(?=\S)", r"\1 ", inner.strip())  # 记者王浩 → 记者 王浩
            b = parse_byline(inner, pen_names=True)  # 本报讯（漳文）: a dateline names its reporter
            if b:
                authors, roles = b.authors, b.roles
        return m.group(0), authors, roles
    m = _DATELINE_EN.match(paragraph)
    if m:
        return m.group("place").strip(), [], {}
    return None


# 赵明明 摄 / 本报记者 张三 摄 / 摄影：张三 / 图：张三 / Photo: Jane Doe / Photo by Jane Doe
_CREDIT_SUFFIX = re.compile(r"^(?P<credit>\S.{0,29}?)\s*(?:摄影?|供图|/摄)(?P<agency>\s*[（(][^（）()]{1,12}[)）])?$")
# 以上图片均为 张三 摄 / 图片由 …: words that introduce the photographer, not part of the name
_CREDIT_LEAD = re.compile(r"^(?:(?:以上|上|下|左|右|本版|本组)?图片?(?:均为|均由|为|由)|图片由)\s*")
_CREDIT_PREFIX = re.compile(r"^(?:摄影|图片?|图/文)\s*[:：/]\s*(?P<credit>\S.{0,29})$")
_CREDIT_EN = re.compile(r"^(?:Photo(?:graph)?s?(?: by)?|Photo:|Picture:|Photograph:)\s*:?\s*(?P<credit>[A-Z].{1,40})$")


def parse_credit(line: str) -> str | None:
    """Return the photographer named by a credit line, or None."""
    t = line.strip()
    if units(t) > 30:
        return None
    for rx in (_CREDIT_SUFFIX, _CREDIT_PREFIX, _CREDIT_EN):
        m = rx.match(t)
        if m:
            credit = m.group("credit").strip()
            # A credit is names (and roles), not a sentence.
            if any(ch in credit for ch in "，。！？；,.!?;") and rx is not _CREDIT_EN:
                return None
            if rx is _CREDIT_EN:
                return credit if all(_LATIN_NAME.match(n.strip()) for n in re.split(r",| and ", credit)) else None
            if not parse_byline(_CREDIT_LEAD.sub("", credit, count=1) or credit):
                return None
            credit = " ".join(_join_spaced_names(credit.split()))  # 陈  晨 → 陈晨
            agency = m.groupdict().get("agency")
            return credit + agency.strip() if agency else credit
    return None


_CAPTION_CREDIT = re.compile(r"^(?P<caption>.{4,}?)\s*[（(](?P<credit>[^（）()]{2,30}?)\s*(?:摄影?|供图)[)）]$")


# …签名。 赵明明 摄 — a caption that ends a sentence, then its credit on the same line.
_TRAILING_CREDIT = re.compile(r"^(?P<caption>.{8,}[。！？!?”’」』）)])\s*(?P<credit>[^。！？!?，,]{2,30}?)\s*(?:摄影?|供图)$")


def caption_credit(line: str) -> str | None:
    """The photographer of a caption that ends with its credit: …（本报记者 张三 摄） or …。 张三 摄."""
    t = line.strip()
    for rx in (_CAPTION_CREDIT, _TRAILING_CREDIT):
        m = rx.match(t)
        if m and parse_byline(m.group("credit")):
            return m.group("credit").strip()
    return None


_AGENCY = re.compile(r"[（(][^（）()]{1,12}[)）]$")


def credit_marker(line: str, credit: str) -> str:
    """The words of a credit line that say 'photographed by' (摄, 摄影：, Photo by)."""
    agency = _AGENCY.search(credit)
    t = line.strip()
    if agency and t.endswith(agency.group(0)) and not t.startswith(credit):
        t, credit = t[: -len(agency.group(0))], credit[: agency.start()]
    name = r"\s*".join(re.escape(ch) for ch in credit if not ch.isspace())
    return re.sub(name, "", t, count=1).strip() if name else t


def credit_line(credit: str, marker: str = "") -> str:
    """How a credit reads under a photo, with the words printed beside the name (``marker``, 摄 if
    none was recorded): 张三 摄, 熊平祥 摄（影像中国）, 摄影：张三, Photo by Mary Major."""
    marker = marker.strip() or "摄"
    agency = _AGENCY.search(credit)
    name, tail = (credit[: agency.start()].rstrip(), agency.group(0)) if agency and agency.start() > 0 else (credit, "")
    if marker.endswith((":", "：")) or marker.lower().startswith("photo"):  # printed before the name
        return f"{marker}{'' if marker.endswith('：') else ' '}{name}{tail}"
    return f"{name}{'' if marker.startswith(('/', '／')) else ' '}{marker}{tail}"
