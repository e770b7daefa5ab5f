"""Multilingual cues of web boilerplate, as compiled patterns with the reason they give.

Why patterns and not a list of known lines: the junk of a scraped page is made of a small
number of *kinds* of widgets (teasers, share buttons, comment forms, players, ads, credits)
whose wording varies by site and language but follows a few shapes. Each pattern below
describes one shape in English, French, German, Spanish, Italian and Portuguese; none of
them names a sentence of a particular site. Patterns are matched against one stripped line.

A pattern is used only together with a guard on the line's shape (see ``text.py``): a cue
word inside a long reported sentence ("the hackers stole passwords") must not remove it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

# Quotes, guillemets, arrows and bullets that decorate widget labels ("” Précédent").
DECOR = r"[\s«»“”„\"'‘’‹›<>←→↑↓⟵⟶|•·*#\-–—:()\[\]]*"


@dataclass(frozen=True, slots=True)
class Cue:
    """One boilerplate shape: ``pattern`` is searched in the line; ``max_words`` bounds the
    length of a line it may remove (a long line is body text that happens to match)."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int


def _whole(words: str) -> re.Pattern[str]:
    """A line made only of ``words`` (an alternation) and decoration."""
    return re.compile(rf"^{DECOR}(?:{words}){DECOR}$", _I)


def _starts(words: str) -> re.Pattern[str]:
    return re.compile(rf"^{DECOR}(?:{words})\b", _I)


def _has(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{words})", _I)


TEASER = _starts(
    r"lire aussi|[àa] lire aussi|lire [ée]galement|[àa] lire [ée]galement|voir aussi|"
    r"[àa] voir aussi|sur le m[êe]me sujet|dans la m[êe]me rubrique|nos articles sur|"
    r"read also|also read|read more|see also|related|recommended|more on this|"
    r"more from|you may also like|you might also like|don't miss|"
    r"lesen sie auch|auch interessant|mehr zum thema|"
    r"lee tambi[ée]n|leer tambi[ée]n|te puede interesar|leggi anche|potrebbe interessarti|"
    r"leia tamb[ée]m|veja tamb[ée]m|"
    r"most read|most popular|popular now|trending|les plus lus|le plus lu|[àa] la une|"
    r"meistgelesen|lo m[áa]s le[íi]do|i pi[ùu] letti"
)

LIVE_TEASER = _has(
    r"suivez (?:les derni[èe]res|notre direct|en direct|le direct|toute l'actualit[ée])|"
    r"mises? [àa] jour en direct|en direct\s*:|\bdirect\s*[-–:]|"
    r"follow (?:our |the )?(?:live|latest)|live updates|latest updates|live blog|"
    r"\bas it happened\b|liveticker|en vivo\s*:|in diretta\s*:"
)

SHARE_WORD = (
    r"facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|e-?mail|mail|print|"
    r"imprimer|partager|partagez|share|shares|tweet|tweeter|copy link|copier le lien|messenger|"
    r"flipboard|tumblr|viber|sms|teilen|drucken|compartir|condividi|stampa|bluesky|threads|"
    r"mastodon|envoyer|send"
)
SHARE_CONNECTOR = r"on|sur|via|per|auf|en|this|cet|article|ceci|la page|the page"
SHARE_LINE = re.compile(
    rf"^{DECOR}(?:{SHARE_WORD})(?:{DECOR}(?:{SHARE_WORD}|{SHARE_CONNECTOR}))*{DECOR}$", _I
)

NAVIGATION = _whole(
    r"pr[ée]c[ée]dent|suivant|prochain|previous|next|older|newer|"
    r"(?:article|post|page|billet) (?:pr[ée]c[ée]dent|suivant)|"
    r"(?:previous|next|older|newer) (?:article|post|page|story|entries)|"
    r"back to top|retour en haut(?: de (?:la )?page)?|haut de page|"
    r"accueil|home|menu|fermer|close|zur[üu]ck|weiter|anterior|siguiente|precedente|successivo"
)

COMMENT_WIDGET = _whole(
    r"leave a (?:comment|reply)|post a comment|add a comment|write a comment|"
    r"laisser un commentaire|laissez un commentaire|ajouter un commentaire|"
    r"[ée]crire un commentaire|r[ée]agir|r[ée]agissez|commenter|"
    r"\d+\s*(?:comments?|commentaires?|r[ée]actions?|kommentare?|comentarios?|commenti)|"
    r"comments?|commentaires?|r[ée]actions?|kommentare|comentarios|commenti|"
    r"join the (?:conversation|discussion)|(?:show|view|afficher|voir) (?:the |les )?"
    r"(?:comments|commentaires)|cancel reply|annuler la r[ée]ponse"
)

COMMENT_POLICY = _has(
    r"akismet|your email address will not be published|required fields are marked|"
    r"votre adresse (?:e-?mail|de messagerie) ne sera pas publi[ée]e|"
    r"les champs obligatoires sont indiqu[ée]s|save my name, email|"
    r"enregistrer mon nom, mon e-?mail|"
    r"(?:connect[ée]e?|identifi[ée]e?|abonn[ée]e?) pour "
    r"(?:publier|poster|laisser|r[ée]agir|commenter)|"
    r"comments are moderated|les commentaires sont mod[ée]r[ée]s|"
    r"(?:logged in|signed in|a subscriber) to (?:post|leave|add|write) a (?:comment|reply)"
)

# Addressing the reader about their account/subscription: news about passwords does not
# say "your password", a form does.
FORM = _has(
    r"\b(?:votre|vos|your)\s+(?:mot de passe|password|adresse (?:e-?mail|[ée]lectronique)|"
    r"e-?mail|compte|account|identifiant|username|inscription|abonnement|subscription)\b|"
    r"\b(?:abonnez-vous|inscrivez-vous|connectez-vous|identifiez-vous|d[ée]j[àa] abonn[ée]|"
    r"subscribe (?:to|now|for)|sign up (?:for|to|now)|log ?in to|sign in to|"
    r"mot de passe oubli[ée]|forgot(?:ten)? (?:your )?password|"
    r"(?:notre|our) newsletter|newsletter (?:gratuite|quotidienne|hebdomadaire)|"
    r"free newsletter|daily newsletter|recevez (?:nos|notre|gratuitement)|"
    r"cr[ée]er un compte|create an account|reset your password|r[ée]initialiser votre)"
)

VIDEO_PLAYER = _has(
    r"lecteur (?:vid[ée]o|multim[ée]dia|audio)|video player|media player|audio player|"
    r"(?:navigateur|browser)\b.{0,40}\b(?:vid[ée]o|javascript|html5|lecteur|player)|"
    r"(?:vid[ée]o|player|lecteur)\b.{0,40}\b(?:navigateur|browser)|"
    r"(?:activer|enable|activate) (?:le )?javascript|"
    r"(?:cette|this) (?:vid[ée]o|video) (?:n'est pas|is not|is unavailable|cannot)|"
    r"(?:regarder|watch|lire) (?:la |the )?(?:vid[ée]o|video)\b|play video|"
    r"autoplay|lecture automatique"
)

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
MEDIA_TIMESTAMP = re.compile(
    rf"^(?:(?:dur[ée]e|duration|durata|dauer)\s*:?\s*)?{_CLOCK}(?:\s*/\s*{_CLOCK})?$", _I
)

# A menu or breadcrumb: short items separated by | · • › > / ("Home | Europe | Business").
MENU = re.compile(r"^[^|·•›>/]{1,30}(?:\s[|·•›>/]\s[^|·•›>/]{1,30})+$")
MENU_ITEM_MAX_WORDS = 3

# "By Ruth Okafor in Brussels", "Par la rédaction (avec BPA)".
BYLINE = re.compile(r"^(?:by|par|de|von|por|di|door|written by|[ée]crit par)\s+(\S.*)$", _I)

ADVERTISEMENT = _whole(
    r"advertisement|advertising|advert|ads?|sponsored(?: content)?|partner content|"
    r"publicit[ée]|pub|annonce|contenu sponsoris[ée]|sponsoris[ée]|publi-?reportage|"
    r"anzeige|werbung|publicidad|pubblicit[àa]|publicidade|continue reading below|"
    r"la suite apr[èe]s (?:cette|la) publicit[ée]|article continues below|story continues below"
)

COOKIES = re.compile(
    r"\bcookies?\b.{0,120}\b(?:accept|accepter|consent|utilisons|we use|use of|"
    r"politique de confidentialit[ée]|privacy policy|param[èe]tres|settings|einverstanden)|"
    r"\b(?:accept|accepter|tout accepter|accept all)\b.{0,40}\bcookies?\b",
    _I,
)

TAG_PREFIX = _starts(
    r"tags?|mots[- ]cl[ée]s|th[èe]mes?|topics?|sujets?|cat[ée]gories?|categories|"
    r"filed under|rubriques?|schlagw[öo]rter|etiquetas|argomenti"
)

AGENCY = (
    r"AP|AFP|Reuters|Getty(?: Images)?|EPA|EFE|Xinhua|ANSA|dpa|Sipa|Belga|Keystone|"
    r"Shutterstock|Alamy|Bloomberg|Anadolu|Abaca(?:press)?|Hans Lucas|MaxPPP|PA|"
    r"Imago|Zuma|NurPhoto|SOPA|Pool|Yonhap|KCNA|Kyodo|Tass|Sputnik|WENN|UPI"
)
# A line ending with a picture credit: "... via AP, fichier", "... Photo: Jane Doe / X",
# "... (AFP)", "... Reuters/John Smith".
CAPTION_CREDIT = re.compile(
    r"(?:\b(?:photo|photos|cr[ée]dits?(?: photo)?|credits?|image|illustration|foto|"
    r"bild|fotograf[íi]a)\s*(?::|/|©|by|par)\s*[^.!?]{2,80}"
    rf"|(?:\bvia|/|\(|©|—|–|-)\s*(?:{AGENCY})\b(?:\s*(?:photo|images?|/[^.!?,]{{2,40}}))?"
    r"(?:\s*,\s*(?:file|fichier|archives?|archivo|archivio))?\)?"
    rf"|\b(?:{AGENCY})\s*/\s*[A-Z][^.!?]{{2,40}}"
    r"|©\s*[^.!?]{2,60})\s*\.?$",
    _I,
)

# A line that is only a credit, no caption before it.
CREDIT_ONLY = re.compile(
    r"^(?:©|\(c\)|photo|photos|cr[ée]dits?(?: photo)?|credits?|image|illustration|foto|"
    r"copyright)\b\s*[:/©]?\s*[^.!?]{0,80}$",
    _I,
)

COPYRIGHT = _has(
    r"^\s*(?:©|\(c\)|copyright\b)|all rights reserved|tous droits r[ée]serv[ée]s|"
    r"alle rechte vorbehalten|todos los derechos reservados|tutti i diritti riservati"
)

# Cues whose single match removes a short line, in priority order.
LINE_CUES: tuple[Cue, ...] = (
    Cue("advertisement", ADVERTISEMENT, 8),
    Cue("share-buttons", SHARE_LINE, 12),
    Cue("navigation", NAVIGATION, 6),
    Cue("comment-widget", COMMENT_WIDGET, 8),
    Cue("comment-widget", COMMENT_POLICY, 40),
    Cue("media-timestamp", MEDIA_TIMESTAMP, 3),
    Cue("video-player", VIDEO_PLAYER, 25),
    Cue("teaser", TEASER, 30),
    Cue("live-teaser", LIVE_TEASER, 25),
    Cue("form", FORM, 60),
    Cue("cookie-banner", COOKIES, 60),
    Cue("tag-line", TAG_PREFIX, 30),
    Cue("copyright", COPYRIGHT, 30),
    Cue("photo-credit", CREDIT_ONLY, 12),
)
