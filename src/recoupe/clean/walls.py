"""Pages that are not articles: block walls, consent walls, error pages.

A scraper often saves what the site showed *instead of* the article: "we noticed a lot of
connections from your IP address, tick 'I am not a robot'", "turn off your ad blocker to
read", "cookies must be enabled", a cookie or data-processing consent text, "404 page not
found", PHP warnings. Stored as articles, two copies of one block page look like the same
story (similarity 1.0), and two different articles sharing a consent banner look alike.

Each sentence of the cleaned text is given a kind when it is one of those messages:

* ``block``: the site refuses the reader (IP address flagged, robot check, access denied,
  ad blocker to turn off, cookies or JavaScript to enable);
* ``error``: an error page (HTTP error with its wording, "page not found", PHP warnings,
  a server stack trace);
* ``consent``: a cookie, privacy or data-processing notice addressed to the reader ("we
  use cookies", "Sie stimmen ... zu", "zbieramy anonimowe informacje").

A notice is recognised by what it talks about *and* by addressing the reader or speaking
for the site ("your", "Sie", "we use", "our website"): an article reporting on cookies or
data protection ("GDPR fines rose", "the judge blocked the law") speaks about others.

The page is ``not-an-article`` when a block or error message opens it and little else is
there, or when consent notices make up most of it and what remains is too short to be an
article (see ``judge``). Patterns cover English, French, German, Spanish, Italian,
Portuguese, Dutch, Polish, Turkish and Arabic; they name kinds of messages, not the
wording of a site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_I = re.IGNORECASE

# The reader addressed, or the site speaking for itself. German formal "Sie"/"Ihre" is
# matched with its capital (lower-case "sie" is "she"/"they"); Spanish "su" and Portuguese
# "seu"/"sua" are left out (they are "his"/"her" as often as "your").
_ADDRESS = re.compile(
    r"\b(?:you|your|yours|we|our|us|this (?:site|website|page)|vous|votre|vos|nous|notre|"
    r"nos|usted|ustedes|tu|tus|nosotros|nuestr[oa]s?|utilizamos|usamos|voi|vostr[oaei]|noi|"
    r"nostr[oaei]|utilizziamo|você|vocês|nós|nosso|nossa|uw|jij|wij|ons|onze|państw[oa]|"
    r"tw[oó]j|twoj\w*|ci[eę]|wy|nasz\w*|siz|sizin|sizlere|sitemiz\w*|biz|bizim|"
    r"diese[sr]? (?:seite|website|webseite)|ce site|este sitio|questo sito|"
    r"deze (?:site|website)|ta strona|bu site)\b"
    r"|\b\w+(?:amy|emy|imy|ymy)\b"  # Polish first person plural: zbieramy, używamy
    r"|\b\w+(?:ıyoruz|iyoruz|uyoruz|üyoruz)\b"  # Turkish first person plural
    r"|نحن|موقعنا|شبكتنا|لمسؤوليتنا|خدماتنا|نستخدم|نجمع|يرجى",
    re.IGNORECASE,
)
_ADDRESS_DE = re.compile(r"\b(?:Sie|Ihnen|Ihre[nmrs]?|Ihr|Wir|wir|unser\w*|Unser\w*)\b")
_TOPIC = re.compile(
    r"cookie|çerez|ciasteczk|ملفات تعريف الارتباط|الكوكيز|куки|tracking technolog|"
    r"analysetechnik"
    # privacy and personal data
    r"|privacy|datenschutz|confidentialité|données personnelles|privacidad|datos personales|"
    r"riservatezza|dati personali|privacidade|dados pessoais|persoonsgegevens|"
    r"prywatno|dan\w* osobow|przetwarzani\w* danych|gizlilik|kişisel veri|الخصوصية|"
    r"البيانات الشخصية|\brodo\b|\bgdpr\b|\bdsgvo\b|\brgpd\b|\bkvkk\b|"
    r"persönliche\w* (?:daten|informationen)|datenverarbeitung|verarbeitung ihrer"
    # "to improve our website we collect (anonymous technical) information"
    r"|(?:website|webseite|\bsite|sitio|sito|witryn\w*|sitemiz\w*|موقعنا)\b.{0,160}?"
    r"\b(?:collect|sammeln|recueill\w*|recopil\w*|raccogli\w*|verzamel\w*|zbieramy|"
    r"topluyoruz|نجمع|faydalanıyoruz)"
    # consent buttons and formulas
    r"|akzeptieren und schließen|accept and close|accepter et fermer|aceptar y cerrar|"
    r"accetta e chiudi|aceitar e fechar|accepteren en sluiten|zaakceptuj i zamknij|"
    r"stimmen sie .{0,60}?\bzu\b|sie stimmen .{0,80}?\bzu\b|"
    r"erklären sie sich .{0,60}?einverstanden|"
    r"vous acceptez|"
    r"you agree to|you consent|consent to the use|izin vermiş oluyorsunuz|wyrazić zgodę|"
    r"zgod\w+ na przetwarzanie|zustimmung .{0,40}?widerrufen"
    # legal notices standing in for the article
    r"|without (?:any )?warrant|haftungsausschluss|exonération de responsabilité|"
    r"descargo de responsabilidad|ضمانات|إخلاء (?:ل)?مسؤولي",
    re.IGNORECASE,
)


# What notices speak about, to tell the sentences around a notice from an article's.
_NOTICE_WORDS = re.compile(
    r"cookie|çerez|ciasteczk|\bdaten\w*|\bdata\b|\bdane\b|danych|données|\bdatos\b|\bdati\b|"
    r"\bdados\b|gegevens|\bveri\w*|البيانات|\binformation\w*|informacj\w*|informazion\w*|"
    r"informa[çc][ãa]o|\bbilgi\w*|المعلومات|website|webseite|internetauftritt|\bsite\b|sitio|"
    r"\bsito\b|witryn\w*|\bstron\w*|sitemiz|موقع|partner\w*|werbung|advertis\w*|publicit\w*|"
    r"reklam\w*|analy\w*|analiz\w*|privacy|datenschutz\w*|prywatn\w*|gizlilik|الخصوصية|"
    r"consent\w*|zustimm\w*|einwillig\w*|\bzgod\w*|\bizin\b|akzept\w*|accept\w*|acept\w*|"
    r"zaakceptuj|kabul|settings|einstellungen|paramètres|configuración|browser|navigateur|"
    r"navegador|przeglądark\w*|tarayıcı|\bkont\w*|account|compte|cuenta|polityk\w*|politik\w*|"
    r"policy|politique|política",
    re.IGNORECASE,
)
NOTICE_PARAGRAPH_SHARE = 0.5


_FORMULA = re.compile(r"stimm|einverstanden|akzeptier|widerruf", re.IGNORECASE)


def _is_notice(sentence: str) -> bool:
    """A cookie, privacy or legal notice: its topic, and the reader (or the site) in it.
    A German sentence opening with "Sie" may be about "her": alone, that "Sie" counts
    only with a consent formula."""
    if not (topic := _TOPIC.search(sentence)):
        return False
    if _ADDRESS.search(sentence):
        return True
    german = [m for m in _ADDRESS_DE.finditer(sentence) if m.start() > 0 or m.group() != "Sie"]
    return bool(german) or bool(_ADDRESS_DE.match(sentence) and _FORMULA.search(topic.group()))


BLOCK = re.compile(
    r"\b(?:ip[- ]?(?:address|adresse|adres\w*|adresi)|adresse ip|dirección ip|indirizzo ip|"
    r"adres\w* ip|عنوان ip)\b.{0,160}\b(?:block\w*|gesperrt|bloqu\w*|blocc\w*|geblokkeerd|"
    r"zablokowan\w*|engellen\w*|robot\w*|suspicious|verdächtig|connections|połączeń|abus\w*|"
    r"nadużył\w*|missbrauch\w*)"
    r"|\b(?:i am not a robot|i'm not a robot|not a robot|kein roboter|pas un robot|"
    r"no soy un robot|non sono un robot|geen robot|nie jestem robotem|robot değilim)\b"
    r"|\bunusual traffic\b|\baccess (?:denied|to this page has been denied)|zugriff verweigert|"
    r"accès refusé|acceso denegado|accesso negato|toegang geweigerd|\bchecking your browser\b|"
    r"\battention required\b|\bverify (?:that )?you are (?:a )?human\b"
    r"|(?:\bad ?block\w*|ublock\w*|werbeblocker|bloqueur de pub\w*|bloqueador de anuncios|"
    r"blocco (?:degli )?annunci|adblocka\w*)\b.{0,120}"
    r"\b(?:turn\w* off|disable|deactivat\w*|ausschalten|deaktivier\w*|désactiv\w*|desactiv\w*|"
    r"disattiv\w*|uitschakel\w*|wyłącz\w*|kapat\w*|whitelist|exception|ausnahme|wyjątek|"
    r"supporting|unterstütz\w*)"
    r"|\b(?:turn\w* off|switch\w* off|disable|deactivat\w*|ausschalten|deaktivier\w*|"
    r"désactiv\w*|desactiv\w*|disattiv\w*|uitschakel\w*|wyłącz\w*|kapat\w*)\b.{0,60}"
    r"(?:\bad ?block\w*|ublock\w*|werbeblocker|bloqueur de pub\w*|bloqueador de anuncios|"
    r"blocco (?:degli )?annunci|reklam engelleyici)"
    r"|(?:you(?:'|’)re|you are) blocking ads|używasz adblock\w*|korzystasz z adblock\w*"
    r"|\b(?:cookies?|javascript)\b.{0,40}\b(?:must be enabled|are disabled|is disabled|"
    r"need to be enabled|müssen aktiviert|doivent être activ\w*|deben estar habilitad\w*|"
    r"devono essere abilitat\w*|moeten (?:zijn )?ingeschakeld|werden .{0,20}benötigt)"
    r"|\b(?:werden|wird|sind|is|are)\s(?:\w+\s){0,2}(?:cookies|javascript)\s(?:benötigt|"
    r"erforderlich|required|needed)"
    r"|\b(?:please |bitte )?(?:enable|activate|aktivieren sie|activez|habilite|abilita|"
    r"schakel|włącz)\s(?:\w+\s){0,2}(?:cookies|javascript)\b",
    _I,
)
ERROR = re.compile(
    r"\b(?:404|410|500|502|503)\b.{0,40}\b(?:not found|error|nicht gefunden|introuvable|"
    r"no encontrad[oa]|non trovat[oa]|niet gevonden|bulunamadı|nie znaleziono|غير موجود)"
    r"|\b(?:page|seite|página|pagina|sayfa|strona)\b.{0,30}\b(?:not found|nicht gefunden|"
    r"introuvable|n'existe pas|no encontrada|no existe|non trovata|niet gevonden|bulunamadı|"
    r"nie (?:została znaleziona|istnieje))"
    r"|\b(?:warning|notice|fatal error|parse error|deprecated)\s*:\s.{0,300}"
    r"\b(?:on line \d+|in /[\w./-]+\.php)"
    r"|\bmysqli?_\w+\(\)|\btraceback \(most recent call last\)"
    r"|\b(?:internal server error|service unavailable|bad gateway|gateway time-?out)\b"
    r"|\bthe requested url .{0,120} was not found on this server",
    _I,
)

# A block or error message in the first sentences, with less article text than this
# around it, makes the page a wall; consent notices must make up at least this share of
# the text and leave less than REMAINDER characters.
BLOCK_LEAD_SENTENCES = 3
BLOCK_MAX_OTHER = 2000
CONSENT_SHARE = 0.5
CONSENT_MAX_OTHER = 400  # SemEval consent pages leave at most 274 (title and button words)
NOTICE_LINE_MAX_WORDS = 80

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+|\n")


# Words without one of which a pattern above cannot match: a substring test in C turns
# away almost every sentence of an article before any regular expression runs.
_BLOCK_HINTS = ("ip", "robot", "access", "zugriff", "accès", "acceso", "accesso", "toegang",
                "traffic", "browser", "attention", "human", "block", "werbe", "bloqu", "blocc",
                "cookie", "javascript")  # fmt: skip
_ERROR_HINTS = ("404", "410", "500", "502", "503", "found", "gefunden", "introuvable",
                "existe", "encontrad", "trovat", "gevonden", "bulunamad", "znaleziono",
                "istnieje", "موجود", "warning", "notice", "error", "deprecated", "mysql",
                "traceback", "server", "unavailable", "gateway")  # fmt: skip
_NOTICE_HINTS = ("cookie", "çerez", "ciasteczk", "privac", "datenschutz", "confidentialit",
                 "personnel", "personal", "persönlich", "osobow", "danych", "prywatn", "gizlilik",
                 "kişisel", "rodo", "gdpr", "dsgvo", "rgpd", "kvkk", "datenverarbeitung",
                 "verarbeitung", "collect", "sammeln", "recueill", "recopil", "raccogli",
                 "verzamel", "zbieramy", "topluyoruz", "faydalan", "akzeptieren", "accept",
                 "aceptar", "accetta", "aceitar", "zaakceptuj", "kabul et", "stimmen sie",
                 "einverstanden", "you agree", "consent", "izin vermiş", "zgod", "widerrufen",
                 "warrant", "haftungsausschluss", "exonération", "descargo", "ضمانات", "مسؤولي",
                 "الخصوصية", "البيانات", "الارتباط", "الكوكيز", "куки", "tracking",
                 "analysetechnik", "نجمع")  # fmt: skip


def _hinted(folded: str, hints: tuple[str, ...]) -> bool:
    return any(h in folded for h in hints)


def kind_of(sentence: str) -> str | None:
    """``block``, ``error``, ``consent`` or None for one sentence (or line)."""
    folded = sentence.lower()
    if _hinted(folded, _ERROR_HINTS) and ERROR.search(sentence):
        return "error"
    if _hinted(folded, _BLOCK_HINTS) and BLOCK.search(sentence):
        return "block"
    if _hinted(folded, _NOTICE_HINTS) and _is_notice(sentence):
        return "consent"
    return None


def sentences_of(text: str) -> list[str]:
    """A rough split into sentences and lines, enough to weigh a page's parts."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a page is not an article: its kind and the message that shows it."""

    kind: str
    evidence: str

    @property
    def detail(self) -> str:
        what = {"block": "a block page (the site refused the reader)",
                "error": "an error page", "consent": "a cookie, privacy or legal notice"}[self.kind]
        quoted = self.evidence if len(self.evidence) <= 90 else self.evidence[:87] + "..."
        return f"{what}, not an article: “{quoted}”"  # fmt: skip


def _weigh(text: str) -> tuple[list[tuple[str, str | None]], int, int]:
    """(sentences with their kind, characters of notices, characters of everything else).

    A notice is a paragraph: the sentences around a notice sentence that speak of the same
    things (data, the website, partners, settings) belong to it when they make up most of
    their paragraph; other sentences count as the page's own text."""
    parts: list[tuple[str, str | None]] = []
    notice = other = 0
    for paragraph in text.split("\n"):
        sentences = [(s, kind_of(s)) for s in sentences_of(paragraph)]
        parts.extend(sentences)
        if not any(kind == "consent" for _, kind in sentences):
            other += sum(len(s) for s, kind in sentences if kind is None)
            notice += sum(len(s) for s, kind in sentences if kind is not None)
            continue
        near = [len(s) for s, kind in sentences if kind or _NOTICE_WORDS.search(s)]
        total = sum(len(s) for s, _ in sentences)
        if sum(near) >= NOTICE_PARAGRAPH_SHARE * total:
            notice += sum(near)
            other += total - sum(near)
        else:
            notice += sum(len(s) for s, kind in sentences if kind is not None)
            other += sum(len(s) for s, kind in sentences if kind is None)
    return parts, notice, other


def is_notice_line(line: str) -> bool:
    """A line that is a cookie or consent notice (most of it, by characters): page
    furniture the cleaner removes as ``cookie-banner``."""
    if len(line.split()) > NOTICE_LINE_MAX_WORDS or not _hinted(line.lower(), _NOTICE_HINTS):
        return False
    parts, notice, other = _weigh(line)
    return notice > other and any(kind == "consent" for _, kind in parts)


def judge(text: str, notices: Sequence[str] = ()) -> Verdict | None:
    """A Verdict when ``text`` (a cleaned body) is a block, error or consent page rather
    than an article, else None. ``notices``: consent lines cleaning removed from the page
    (they weigh as notices: a page that was all banner is not an article either)."""
    parts, notice, other = _weigh("\n".join([text, *notices]))
    walls = [(s, kind) for s, kind in parts if kind is not None]
    if not walls:
        return None
    for sentence, kind in parts[:BLOCK_LEAD_SENTENCES]:
        if kind in ("block", "error") and other < BLOCK_MAX_OTHER:
            return Verdict(kind, sentence)
    if notice >= CONSENT_SHARE * (notice + other) and other < CONSENT_MAX_OTHER:
        kind = max(("block", "error", "consent"), key=lambda k: sum(x == k for _, x in walls))
        return Verdict(kind, next(s for s, x in walls if x == kind))
    return None


__all__ = ["BLOCK", "ERROR", "Verdict", "is_notice_line", "judge", "kind_of", "sentences_of"]
