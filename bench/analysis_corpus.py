"""A hearing's responses with planted structure, for measuring the analysis (bench/analysis.py and the
tests' seeded bounds): campaigns (near-duplicate copies of a few form letters) and topics (each with its
own vocabulary), mixed with off-topic responses. Deterministic for a seed.

    corpus = generate(2000, seed=1)
    corpus.texts[i]        # the response's text (Danish words, in sentences)
    corpus.campaign_of[i]  # the planted campaign's index, or None
    corpus.topic_of[i]     # the planted topic's index, or None for an off-topic response
"""

import random
from collections import Counter
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


# Twelve topics, each with words that mostly belong to it. Written in Danish, as the responses are.
TOPICS: list[list[str]] = [
    _words(
        "skole elever lærere undervisning klasselokaler skolegården frikvarteret inklusion trivsel lektier "
        "skolebestyrelsen folkeskolen klassekvotient specialklasser skolebiblioteket skolevejen "
        "undervisningsmidler faglokaler skoledagen elevrådet"
    ),
    _words(
        "cykelsti cyklister fortov trafiksikkerhed krydset lyskurven fartdæmpning vejbump rundkørslen "
        "fodgængere skolepatrulje cykelparkering belysning hastighed bilister vognbanen fodgængerfeltet "
        "cykelruten asfalten trafikken"
    ),
    _words(
        "natur skoven søen biodiversitet vildblomster træerne fuglene engen naturpleje stierne insekter "
        "vandløbet padder græsningen naturområdet vådområder hegn bier blomsterenge fredningen"
    ),
    _words(
        "ældre plejehjemmet hjemmeplejen demens pårørende ensomhed aktivitetscentret genoptræning "
        "sygeplejersker visitation madordningen seniorboliger besøgsvenner rehabilitering plejepersonalet "
        "hjælpemidler ældrerådet livskvalitet omsorg værdighed"
    ),
    _words(
        "bus busruten køreplanen afgange stoppestedet flextrafik pendlere togstationen busskuret "
        "billetpriser natbussen omstigning kollektiv trafikselskabet rejsekortet linjeføringen "
        "tilslutning ventetid ruteplan busforbindelsen"
    ),
    _words(
        "klima solceller varmepumper fjernvarme energiforbruget co2 udledning vindmøller isolering "
        "klimaplanen regnvand skybrud oversvømmelser klimatilpasning elbiler ladestandere "
        "energirenovering affaldssortering genbrug bæredygtighed"
    ),
    _words(
        "idræt hallen fodboldbanerne svømmehallen foreningerne frivillige trænerne motion "
        "idrætsforeningen omklædningsrum kunstgræs haltider idrætsanlæg løbestier tennisbanen "
        "træningstider ungdomsholdene turneringer medlemmerne klubhuset"
    ),
    _words(
        "boliger lejeboliger byggegrunde udstykning boligområdet parcelhuse rækkehuse almene "
        "boligforeningen lokalplanen byggeriet etageboliger tilflyttere huslejen andelsboliger "
        "boligmarkedet grundejerforeningen fortætning bebyggelse byggefelter"
    ),
    _words(
        "børnehaven vuggestuen dagplejen pædagoger institutionen normeringer forældrene pladsgaranti "
        "legepladsen åbningstider madpakker sovepladser pædagogmedhjælpere børnehuset udflugter "
        "sprogvurdering indkøring forældrebestyrelsen småbørn dagtilbud"
    ),
    _words(
        "erhverv virksomhederne arbejdspladser iværksættere erhvervsområdet handelslivet butikkerne "
        "detailhandlen erhvervsrådet turisterne overnatninger beskæftigelse erhvervsservice "
        "produktionen lærepladser virksomhedsejere investeringer bymidten torvet markedsdage"
    ),
    _words(
        "kultur biblioteket musikskolen kulturhuset koncerter udstillinger teatret forfattere "
        "kunstnerne kulturnatten arrangementer museet spillestedet foredrag kulturlivet "
        "kunstværker litteratur festivalen sangkoret amatørscenen"
    ),
    _words(
        "digitalisering selvbetjening borgerservice hjemmesiden mitid digitalpost ventetider "
        "sagsbehandlingen telefontiden ansøgninger blanketterne tilgængelighed it-systemerne "
        "skærmlæsere vejledning åbningstiden sagsbehandlerne henvendelser borgerportalen chatten"
    ),
]

# Words that every response may use: the filler of ordinary Danish sentences.
COMMON = _words(
    "jeg vi det er at og i på til for med som en et den de der har vil skal kan ikke mere meget "
    "også bør kommunen byen borgerne strategien forslaget mener synes håber vigtigt godt dårligt "
    "fremtiden område vores mange flere mindre hele gerne rigtig stor lille nye gamle tid år"
)

# Words of no planted topic: what off-topic responses and the copies' changes draw from.
OTHER = _words(
    "vejret sommeren vinteren hunden katten haven weekenden ferien familien naboen bilen huset "
    "køkkenet maden kaffen avisen radioen fjernsynet telefonen computeren internettet posten "
    "regningen banken skatten lønnen pensionen lægen tandlægen apoteket kirken kirkegården "
    "festen fødselsdagen julen påsken foråret efteråret stranden havnen båden fiskeriet jagten "
    "hesten koen gården marken traktoren kornet høsten"
)

PERSONAL = [
    "Jeg har boet her i {n} år og holder meget af området.",
    "Som forælder til {n} børn er det her vigtigt for os.",
    "Vi flyttede hertil for {n} år siden og vil gerne blive.",
    "Jeg har været frivillig i {n} år og ser det hver dag.",
    "Min familie har brugt det i {n} år.",
]


@dataclass
class Corpus:
    texts: list[str]
    campaign_of: list[int | None]
    topic_of: list[int | None]


def _sentence(rng: random.Random, vocabulary: list[str], share: float) -> str:
    words = [rng.choice(vocabulary) if rng.random() < share else rng.choice(COMMON)
             for _ in range(rng.randint(8, 16))]  # fmt: skip
    return " ".join(words).capitalize() + "."


def _response(rng: random.Random, vocabulary: list[str], share: float) -> str:
    return " ".join(_sentence(rng, vocabulary, share) for _ in range(rng.randint(3, 8)))


def _copy(rng: random.Random, text: str, changed: float) -> str:
    """``text`` with up to ``changed`` of its words replaced or dropped, and a personal sentence added."""
    words = text.split()
    share = rng.uniform(0, changed)
    out = []
    for word in words:
        roll = rng.random()
        if roll < share / 2:
            out.append(rng.choice(OTHER + COMMON))
        elif roll < share:
            continue
        else:
            out.append(word)
    personal = rng.choice(PERSONAL).format(n=rng.randint(2, 40))
    return " ".join(out) + (" " + personal if rng.random() < 0.8 else "")


def generate(n: int, *, seed: int = 1, campaigns: int = 5, campaign_sizes: tuple[int, int] = (20, 400),
             changed: float = 0.15, off_topic: float = 0.1, topic_share: float = 0.45) -> Corpus:  # fmt: skip
    """``n`` responses: ``campaigns`` form letters copied 20–400 times each (scaled down when ``n`` is
    small, so that campaigns are at most half the corpus), the rest written independently, each on one of
    the twelve topics or, for the share ``off_topic``, on none. Shuffled; deterministic for ``seed``."""
    rng = random.Random(seed)
    low, high = campaign_sizes
    sizes = [rng.randint(low, high) for _ in range(campaigns)]
    scale = min(1.0, (n / 2) / max(1, sum(sizes)))
    sizes = [max(2, int(size * scale)) for size in sizes]
    rows: list[tuple[str, int | None, int | None]] = []
    for index, size in enumerate(sizes):
        topic = index % len(TOPICS)
        letter = _response(rng, TOPICS[topic], topic_share)
        rows.extend((_copy(rng, letter, changed), index, topic) for _ in range(size))
    while len(rows) < n:
        if rng.random() < off_topic:
            rows.append((_response(rng, OTHER, 0.5), None, None))
        else:
            topic = rng.randrange(len(TOPICS))
            rows.append((_response(rng, TOPICS[topic], topic_share), None, topic))
    rows = rows[:n]
    rng.shuffle(rows)
    return Corpus(
        texts=[row[0] for row in rows],
        campaign_of=[row[1] for row in rows],
        topic_of=[row[2] for row in rows],
    )


def pairwise(predicted: list, planted: list) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against the planted one: of the pairs put in one
    group, the share planted together, and of the pairs planted together, the share put in one group.
    ``None`` is in no group. Both 1.0 when there are no such pairs."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(
        Counter((p, t) for p, t in zip(predicted, planted, strict=True) if p is not None and t is not None)
    )
    said = pairs(Counter(p for p in predicted if p is not None))
    true = pairs(Counter(t for t in planted if t is not None))
    return (both / said if said else 1.0), (both / true if true else 1.0)


def planted_documents(corpus: Corpus) -> tuple[list[str], list[list[int]]]:
    """One document per response outside a campaign and one per planted campaign (as
    analysis.suggestions.compute_suggestions makes them), with the corpus indices each stands for."""
    documents: list[str] = []
    owners: list[list[int]] = []
    seen: dict[int, int] = {}
    for i, (text, campaign) in enumerate(zip(corpus.texts, corpus.campaign_of, strict=True)):
        if campaign is not None and campaign in seen:
            owners[seen[campaign]].append(i)
            continue
        if campaign is not None:
            seen[campaign] = len(documents)
        documents.append(text)
        owners.append([i])
    return documents, owners
