"""Words that carry values in news text: number words, vague quantities, approximation
and bound markers, currencies and measure units, relative days, revision markers.

Kept as data, apart from the parsing rules in ``values``, for the languages recoupe reads
with a parser (en, fr) and the other European languages of its default set (de, es, it,
pt, nl). Keys are *folded* (``reuse.normalize.fold``: lower case, accents stripped,
quotes unified), as the tokens they are looked up with.

Deliberately missing: "one"/"un"/"une"/"a" as numbers. In every one of these languages the
word is also the indefinite article ("un incendie"), and reading it as the count 1 would
create disagreements out of grammar; "1" written in digits is read.
"""

from __future__ import annotations

_UNITS = {
    "en": "zero two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty",
    "fr": "zero deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize dix-sept dix-huit dix-neuf vingt",
    "de": "null zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn "
    "funfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "es": "cero dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
    "quince dieciseis diecisiete dieciocho diecinueve veinte",
    "it": "zero due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
    "quattordici quindici sedici diciassette diciotto diciannove venti",
    "pt": "zero dois tres quatro cinco seis sete oito nove dez onze doze treze catorze "
    "quinze dezesseis dezessete dezoito dezenove vinte",
    "nl": "nul twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien twintig",
}
_TENS = {
    "en": "thirty forty fifty sixty seventy eighty ninety",
    "fr": "trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix",
    "de": "dreissig vierzig funfzig sechzig siebzig achtzig neunzig",
    "es": "treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "it": "trenta quaranta cinquanta sessanta settanta ottanta novanta",
    "pt": "trinta quarenta cinquenta sessenta setenta oitenta noventa",
    "nl": "dertig veertig vijftig zestig zeventig tachtig negentig",
}


def _number_words(language: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for value, word in enumerate(_UNITS[language].split()):
        out[word] = 0 if value == 0 else value + 1
    for k, word in enumerate(_TENS[language].split()):
        out[word] = 30 + 10 * k
    return out


# Per language: "tre" is three in Italian and a fragment elsewhere, "due" is two in
# Italian and a word in English, "sei" is six in Italian and a verb in German.
NUMBER_WORDS: dict[str, dict[str, int]] = {lang: _number_words(lang) for lang in _UNITS}
NUMBER_WORDS["fr"] |= {"quatre-vingts": 80, "douzaine": 12, "cent": 100}
NUMBER_WORDS["en"] |= {"dozen": 12}


def number_words(language: str | None) -> dict[str, int]:
    """The number words of ``language``; without a language, those of English and
    French (the languages recoupe parses)."""
    code = (language or "")[:2]
    if code in NUMBER_WORDS:
        return NUMBER_WORDS[code]
    return NUMBER_WORDS["en"] | NUMBER_WORDS["fr"]

# Words that multiply the number before them ("2.5 million", "40 millions", "trois cents").
MULTIPLIERS = {
    **dict.fromkeys(["hundred", "hundert", "cien", "cento", "honderd"], 1e2),
    **dict.fromkeys(["thousand", "mille", "tausend", "mil", "mila", "duizend"], 1e3),
    **dict.fromkeys(["k"], 1e3),
    **dict.fromkeys(
        ["million", "millions", "millionen", "millon", "millones", "milione", "milioni",
         "milhao", "milhoes", "miljoen", "m", "mn", "mio"], 1e6),
    **dict.fromkeys(
        ["billion", "billions", "milliard", "milliards", "milliarde", "milliarden", "miliardo",
         "miliardi", "bilhao", "bilhoes", "miljard", "bn", "mrd"], 1e9),
}  # fmt: skip

# Collective and vague quantities: (low, high) of what the word allows.
VAGUE = {
    **dict.fromkeys(["dizaine", "decina", "decena"], (8.0, 13.0)),
    **dict.fromkeys(["quinzaine"], (13.0, 17.0)),
    **dict.fromkeys(["vingtaine", "ventina", "veintena"], (17.0, 24.0)),
    **dict.fromkeys(["trentaine", "trentina", "treintena"], (26.0, 35.0)),
    **dict.fromkeys(["quarantaine", "quarantina", "cuarentena"], (36.0, 45.0)),
    **dict.fromkeys(["cinquantaine", "cinquantina", "cincuentena"], (45.0, 55.0)),
    **dict.fromkeys(["soixantaine", "sessantina"], (55.0, 65.0)),
    **dict.fromkeys(["centaine", "centinaio", "centenar"], (80.0, 130.0)),
    **dict.fromkeys(["millier", "migliaio", "millar"], (800.0, 1300.0)),
    # Plurals are lower bounds only: "des milliers de lycéens" for 160,000 is common usage.
    **dict.fromkeys(["dozens", "dizaines", "decine", "decenas", "dutzende", "tientallen"],
                    (24.0, float("inf"))),
    **dict.fromkeys(["hundreds", "centaines", "centinaia", "cientos", "centenares", "hunderte",
                     "honderden", "centenas"], (200.0, float("inf"))),
    **dict.fromkeys(["thousands", "milliers", "migliaia", "miles", "millares", "tausende",
                     "duizenden", "milhares"], (2000.0, float("inf"))),
}  # fmt: skip

# Markers before a number and how they widen it: (low factor, high factor) applied to
# the value; None = unbounded on that side.
APPROX = (0.925, 1.075)
NEARLY = (0.9, 1.0)
AT_LEAST = (1.0, None)
AT_MOST = (0.0, 1.0)
MARKERS: dict[tuple[str, ...], tuple[float, float | None]] = {
    **dict.fromkeys(
        [("about",), ("around",), ("some",), ("roughly",), ("approximately",), ("circa",),
         ("environ",), ("quelque",), ("quelques",), ("autour", "de"), ("approximativement",),
         ("etwa",), ("rund",), ("ungefahr",), ("unos",), ("unas",), ("aproximadamente",),
         ("alrededor", "de"), ("cerca", "de"), ("circa",), ("quasi",), ("ongeveer",),
         ("zo'n",), ("cerca",)], APPROX),
    **dict.fromkeys(
        [("nearly",), ("almost",), ("close", "to"), ("pres", "de"), ("presque",),
         ("quasiment",), ("pratiquement",), ("fast",), ("knapp",), ("casi",), ("quase",),
         ("bijna",)], NEARLY),
    **dict.fromkeys(
        [("more", "than"), ("over",), ("at", "least"), ("plus", "de"), ("au", "moins"),
         ("pas", "moins", "de"), ("mehr", "als"), ("uber",), ("mindestens",), ("mas", "de"),
         ("al", "menos"), ("oltre",), ("piu", "di"), ("almeno",), ("mais", "de"),
         ("meer", "dan"), ("ruim",)], AT_LEAST),
    **dict.fromkeys(
        [("up", "to"), ("at", "most"), ("less", "than"), ("fewer", "than"), ("under",),
         ("jusqu'a",), ("jusqu",), ("moins", "de"), ("au", "plus"), ("bis", "zu"),
         ("weniger", "als"), ("hasta",), ("menos", "de"), ("fino", "a"), ("meno", "di"),
         ("ate",), ("tot",), ("minder", "dan")], AT_MOST),
}  # fmt: skip

# "X and 14 others" / "et 14 autres": the number counts the others, the total is one more.
OTHERS = frozenset(["other", "others", "autres", "andere", "anderen", "otros", "otras",
                    "altri", "altre", "outros", "outras"])  # fmt: skip

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₣": "CHF"}
CURRENCY_WORDS = {
    **dict.fromkeys(["euro", "euros", "eur"], "EUR"),
    **dict.fromkeys(["dollar", "dollars", "dolares", "dollari", "usd", "dolar"], "USD"),
    **dict.fromkeys(["pound", "pounds", "livres", "sterling", "gbp"], "GBP"),
    **dict.fromkeys(["yen", "jpy"], "JPY"),
    **dict.fromkeys(["rouble", "roubles", "ruble", "rubles", "rublos", "rubli"], "RUB"),
    **dict.fromkeys(["franc", "francs", "chf"], "CHF"),
    **dict.fromkeys(["yuan", "renminbi", "cny"], "CNY"),
}  # fmt: skip

# Measure units -> canonical key. Counted nouns are not listed: any other word is a count.
MEASURE_UNITS = {
    **dict.fromkeys(["km", "kilometre", "kilometres", "kilometer", "kilometers", "kilometro",
                     "kilometros", "chilometri", "chilometro", "kilometern"], "km"),
    **dict.fromkeys(["m", "metre", "metres", "meter", "meters", "metro", "metros", "metri",
                     "metern"], "m"),
    **dict.fromkeys(["cm", "mm"], "mm"),
    **dict.fromkeys(["mile", "miles", "milles"], "mile"),
    **dict.fromkeys(["t", "tonne", "tonnes", "ton", "tons", "tonnen", "tonelada",
                     "toneladas", "tonnellate", "tonnellata"], "t"),
    **dict.fromkeys(["kg", "kilo", "kilos", "kilogramme", "kilogrammes", "kilogram",
                     "kilograms", "chili", "kilogramos"], "kg"),
    **dict.fromkeys(["g", "grammes", "grams"], "g"),
    **dict.fromkeys(["ha", "hectare", "hectares", "hektar", "ettari"], "ha"),
    **dict.fromkeys(["l", "litre", "litres", "liter", "liters", "litros", "litri"], "l"),
    **dict.fromkeys(["degre", "degres", "degree", "degrees", "grad", "grados", "gradi",
                     "°c", "°"], "deg"),
    **dict.fromkeys(["mw", "megawatts", "megawatt"], "mw"),
    **dict.fromkeys(["gw", "gigawatts", "gigawatt"], "gw"),
    **dict.fromkeys(["kwh", "mwh", "gwh", "twh"], "wh"),
    **dict.fromkeys(["barrels", "barils", "barril", "barriles", "barili"], "bbl"),
    # durations: "six ans de captivité", "deux semaines de violences" are not counts
    **dict.fromkeys(["ans", "annees", "years", "year", "jahre", "jahren", "anos", "anni"], "y"),
    **dict.fromkeys(["mois", "months", "month", "monate", "monaten", "meses", "mesi"], "mo"),
    **dict.fromkeys(["semaines", "semaine", "weeks", "week", "wochen", "semanas", "settimane"],
                    "wk"),
    **dict.fromkeys(["jours", "jour", "days", "day", "tage", "tagen", "dias", "giorni"], "d"),
    **dict.fromkeys(["hours", "hour", "stunden", "horas", "ore"], "hr"),
    **dict.fromkeys(["minutes", "minute", "minuten", "minutos", "minuti", "min"], "min"),
}  # fmt: skip

# "20 heures" is a time of day in French news ("après 20 heures"), not a duration.
CLOCK_WORDS = frozenset(["heures", "heure", "h", "uhr"])
# An age: "Robert Namias, 64 ans", "âgé de 60 ans", "aged 64", "a 64-year-old".
AGE_BEFORE = frozenset(["age", "agee", "ages", "agees", "aged", "alter", "edad", "eta"])

PERCENT_WORDS = (("pour", "cent"), ("pourcent",), ("percent",), ("per", "cent"),
                 ("por", "ciento"), ("prozent",), ("per", "cento"), ("procent",),
                 ("por", "cento"))  # fmt: skip

# Relative days: offset from the article's own date.
RELATIVE_DAYS = {
    **dict.fromkeys(["today", "aujourd'hui", "heute", "hoy", "oggi", "hoje", "vandaag"], 0),
    **dict.fromkeys(["yesterday", "hier", "gestern", "ayer", "ieri", "ontem", "gisteren"], -1),
    **dict.fromkeys(["tomorrow", "demain", "morgen", "manana", "domani", "amanha"], 1),
}  # fmt: skip

# Words after which a four-digit number is a year ("in 1998", "depuis 2023").
YEAR_BEFORE = frozenset([
    "in", "en", "since", "depuis", "of", "de", "du", "au", "a", "year", "annee", "an", "l'an",
    "jahr", "seit", "im", "anno", "dal", "nel", "ano", "desde", "del", "el", "le",
])  # fmt: skip

# A number word that follows a day-month date is a year only when it looks like one.
YEAR_MIN, YEAR_MAX = 1900, 2099
