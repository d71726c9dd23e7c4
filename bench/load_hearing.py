"""Load benchmark: the hearing page under 50 readers, and 1,000 responses submitted by 50 citizens at once.

    .venv/bin/python bench/load_hearing.py                                  # both parts, full size
    .venv/bin/python bench/load_hearing.py --duration 5 --responses 1000    # a quick smoke run
    .venv/bin/python bench/load_hearing.py --part read --rate 300           # latency at 300 requests/s
    .venv/bin/python bench/load_hearing.py --workers 4 --threads 1          # another gunicorn set-up
    .venv/bin/python bench/load_hearing.py --part read --list-cache 0       # every page rendered, no cache
    .venv/bin/python bench/load_hearing.py --part read --warm --rate 300    # every page read once first
    .venv/bin/python bench/load_hearing.py --part read --warm --rate 300 --respond-every 1  # the rush

Run it under ``flock /tmp/bench.lock`` so that it never overlaps with bench/render_summary.py.

It starts gunicorn with the production settings (``portal.settings.production``: DEBUG off, the
manifest static files, persistent database connections) on 127.0.0.1 and a free port, against its own
PostgreSQL database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/hoeringsportal_loadbench``, created if missing and migrated).
Celery's broker is Redis database 11 (``BENCH_REDIS_URL``); no worker runs, and the receipts that the
submissions enqueue are deleted from it at the end. Requests carry ``X-Forwarded-Proto: https``, as
behind the TLS proxy of a real installation.

(a) Reading: a hearing with 10,000 published responses (built once through ``build_hearing`` of
    bench/render_summary.py, then reused). ``--clients`` threads read for ``--duration`` seconds: every
    second request the hearing page itself, the others a random "Vis flere" page (``?side=2`` to the
    last). With ``--rate`` 0 (the default) each client sends its next request as soon as the last is
    answered (a closed loop, so latency is clients / throughput); with ``--rate R`` the clients together
    send R requests per second on a fixed schedule, and latency counts from the scheduled time, so a
    server that falls behind is not flattered. Prints requests per second, p50/p95/p99 latency and
    errors (anything but a 200). The rendered response lists (hearings.response_cache) and the whole
    pages (hearings.page_cache: the clients are not signed in) are cached in the same Redis database;
    the run starts cold (the hearing's versions are replaced first) and prints how many lists it
    stored. ``--warm`` reads every page once before the run, to measure the cache warm. ``--list-cache
    0`` turns both caches off (``RESPONSE_LIST_CACHE_SECONDS``, ``HEARING_PAGE_CACHE_SECONDS``), to
    measure rendering every page. ``--respond-every S``
    publishes a citizen's response every S seconds during the run, through the service that the
    form uses (post-moderation: published at once), as at the deadline rush; they are removed again
    after the run.
(b) Submitting: a fresh open, post-moderated hearing and ``--responses`` signed-in citizens with
    verified e-mail addresses (sessions made in the database; the password login is not what is
    measured), one response each, so that the per-citizen rate limit is not what is measured.
    ``--clients`` threads submit them through the real form: GET the
    form (the CSRF cookie and the form's token), POST it as multipart with Origin and the cookies,
    expect the redirect to the receipt. Prints the wall time and checks that every response is saved,
    numbered 1..N exactly once, none lost, none failed.

The client is Python (``requests``, one thread per client) on the same machine as gunicorn and
PostgreSQL, so it takes CPU from the server: the figures are a floor. Nothing here is a test; the
figures of the last run are recorded in docs/benchmarks.md.
"""

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_loadbench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
READ_HEARING_TITLE = "Benchmark med 10000 høringssvar"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def bench_env(port: int, list_cache_seconds: int) -> dict[str, str]:
    """The environment of both gunicorn and this process (the same secret: sessions made here work there)."""
    return {
        "RESPONSE_LIST_CACHE_SECONDS": str(list_cache_seconds),
        "HEARING_PAGE_CACHE_SECONDS": str(list_cache_seconds),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "load-bench-" + "x" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
        "SITE_URL": f"https://127.0.0.1:{port}",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- Data --------------------------------------------------------------------------------------------------


def reading_hearing() -> int:
    """The 10,000-response hearing of an earlier run, or a new one."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone
    from render_summary import build_hearing

    from hearings.models import Hearing

    existing = (
        Hearing.objects.filter(title=READ_HEARING_TITLE)
        .annotate(n=Count("responses", filter=Q(responses__status="published")))
        .filter(n=10000)
        .first()
    )
    if existing:
        # Open for another day: the pages of an open hearing are measured, and --respond-every may respond.
        soon = timezone.now() + dt.timedelta(hours=12)
        Hearing.objects.filter(pk=existing.pk, closes_at__lt=soon).update(
            closes_at=soon + dt.timedelta(hours=12)
        )
        return existing.pk
    started = time.perf_counter()
    pk = build_hearing(10000)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum would do soon after: statistics, visibility map
        cursor.execute("VACUUM ANALYZE hearings_response")
    print(f"built a hearing with 10,000 published responses in {time.perf_counter() - started:.0f} s")
    return pk


def submission_hearing() -> int:
    """A fresh open, post-moderated hearing with no responses."""
    from render_summary import build_hearing

    from hearings.models import Hearing

    pk = build_hearing(0)
    Hearing.objects.filter(pk=pk).update(title="Benchmark: indsendelse", moderation=Hearing.Moderation.POST)
    return pk


def signed_in_citizens(count: int) -> list[str]:
    """``count`` citizens with verified e-mail addresses, each signed in: their session keys."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    run = secrets.token_hex(4)
    users = User.objects.bulk_create(
        [User(email=f"load-{run}-{i}@example.dk", name=f"Borger {run} {i}") for i in range(count)]
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


# --- The server ----------------------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, port: int, env: dict[str, str], workers: int, threads: int):
        self.port, self.env, self.workers, self.threads = port, env, workers, threads
        self.log = ROOT / "var" / "load-bench-gunicorn.log"

    def __enter__(self):
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--threads", str(self.threads), "--worker-class", "gthread" if self.threads > 1 else "sync",
            "--backlog", "2048", "--timeout", "60", "--log-level", "warning",
        ]  # fmt: skip
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **self.env}, stdout=self.handle, stderr=subprocess.STDOUT
        )
        try:
            self.wait_until_up()
        except BaseException:  # never leave a server behind (Ctrl-C while it starts included)
            self.__exit__()
            raise
        return self

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.handle.close()


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far, from /proc (Linux)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    total = 0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def client_session(port: int) -> requests.Session:
    session = requests.Session()
    session.headers.update({"X-Forwarded-Proto": "https", "User-Agent": "hoeringsportal-load-bench"})
    return session


# --- (a) Reading ---------------------------------------------------------------------------------------------


def read_load(
    *,
    port: int,
    server_pid: int,
    hearing_id: int,
    clients: int,
    duration: float,
    rate: float,
    respond_every: float = 0,
) -> list[int]:
    """Reads, prints the figures, and returns the ids of the responses published meanwhile."""
    from hearings.selectors import RESPONSES_PER_PAGE

    pages = 10000 // RESPONSES_PER_PAGE
    url = f"http://127.0.0.1:{port}/hoeringer/{hearing_id}/"
    results: list[tuple[str, float, int]] = []  # (kind, seconds, status)
    lock = threading.Lock()
    start = time.perf_counter() + 0.5  # all clients start together
    stop = start + duration
    interval = clients / rate if rate else 0.0

    def client(index: int) -> None:
        rng = random.Random(index)
        session = client_session(port)
        own = []
        scheduled = start + (interval * index / clients if interval else 0.0)
        time.sleep(max(0.0, scheduled - time.perf_counter()))
        while True:
            now = time.perf_counter()
            if interval:
                if scheduled >= stop:
                    break
                time.sleep(max(0.0, scheduled - now))
                began = scheduled
                scheduled += interval
            else:
                if now >= stop:
                    break
                began = now
            page_number = 1 if rng.random() < 0.5 else rng.randint(2, pages)
            try:
                response = session.get(url if page_number == 1 else f"{url}?side={page_number}", timeout=30)
                status = response.status_code
                if status == 200 and b'class="response-item"' not in response.content:
                    status = -2  # a page without responses is an error too
            except requests.RequestException:
                status = -1
            own.append(("first" if page_number == 1 else "side", time.perf_counter() - began, status))
        with lock:
            results.extend(own)

    published: list[int] = []

    def citizens_respond() -> None:
        """A citizen's response every ``respond_every`` seconds, published at once (post-moderation),
        through the same service as the form; removed again after the run."""
        from allauth.account.models import EmailAddress
        from django.db import connection

        from accounts.models import User
        from hearings import services
        from hearings.models import Hearing

        hearing = Hearing.objects.get(pk=hearing_id)
        author, _new = User.objects.get_or_create(email="last-minute@example.dk", defaults={"name": "Borger"})
        EmailAddress.objects.get_or_create(
            user=author, email=author.email, defaults={"verified": True, "primary": True}
        )
        moment = start + respond_every
        while moment < stop:
            time.sleep(max(0.0, moment - time.perf_counter()))
            response = services.submit_response(
                hearing=hearing, author=author, target_key="strategy", respondent_type="private",
                display_name="Borger i sidste øjeblik", text=f"Svar nr. {len(published) + 1} i sidste øjeblik.",
                consent=True,
            )  # fmt: skip
            published.append(response.pk)
            moment += respond_every
        connection.close()

    cpu_before = server_cpu_seconds(server_pid)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    if respond_every:
        threads.append(threading.Thread(target=citizens_respond))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(duration, time.perf_counter() - start)
    cpu_ms = (server_cpu_seconds(server_pid) - cpu_before) * 1000 / max(1, len(results))
    errors = sum(1 for _kind, _s, status in results if status != 200)
    mode = f"offered {rate:g} requests/s" if rate else "closed loop, no pause between requests"
    if respond_every:
        mode += f"; a response published every {respond_every:g} s ({len(published)} in all)"
    print(f"\n(a) reading: {clients} clients, {duration:g} s, {mode}")
    print(f"    requests {len(results)}, errors {errors}, requests/s {len(results) / elapsed:.1f}")
    print(f"    gunicorn CPU per request {cpu_ms:.1f} ms (PostgreSQL's not included)")
    print(f"    {'':<22}{'n':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}  {'mean ms':>7}")
    for label, kinds in (("all", {"first", "side"}), ("hearing page", {"first"}), ("Vis flere (?side=N)", {"side"})):  # fmt: skip
        ms = [s * 1000 for kind, s, _status in results if kind in kinds]
        print(
            f"    {label:<22}{len(ms):>6}  {percentile(ms, 50):>7.1f}  {percentile(ms, 95):>7.1f}"
            f"  {percentile(ms, 99):>7.1f}  {statistics.fmean(ms) if ms else float('nan'):>7.1f}"
        )
    return published


def remove_responses(hearing_id: int, pks: list[int]) -> None:
    """The responses of a run, gone again (they were numbered last): the reading hearing keeps its 10,000."""
    from django.db.models import F

    from hearings.models import Hearing, Response

    Response.objects.filter(pk__in=pks).delete()
    if pks:
        Hearing.objects.filter(pk=hearing_id).update(
            last_response_number=F("last_response_number") - len(pks)
        )


def warm_pages(*, port: int, hearing_id: int) -> None:
    """Read every page of the hearing once (four at a time), so that the run measures a warm cache."""
    from concurrent.futures import ThreadPoolExecutor

    from hearings.selectors import RESPONSES_PER_PAGE

    url = f"http://127.0.0.1:{port}/hoeringer/{hearing_id}/"
    addresses = [url] + [f"{url}?side={side}" for side in range(2, 10000 // RESPONSES_PER_PAGE + 1)]
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(lambda address: client_session(port).get(address, timeout=60).status_code, addresses)
        )
    bad = sum(1 for status in statuses if status != 200)
    print(
        f"warmed: read all {len(addresses)} pages once in {time.perf_counter() - started:.1f} s ({bad} not 200)"
    )


# --- (b) Submitting ------------------------------------------------------------------------------------------


def submit_load(*, port: int, hearing_id: int, clients: int, responses: int) -> bool:
    from render_summary import response_text

    from hearings.models import Hearing, Response

    session_keys = signed_in_citizens(responses)  # one each: a citizen's own rate limit is not measured
    base = f"http://127.0.0.1:{port}"
    form_url = f"{base}/hoeringer/{hearing_id}/svar/"
    remaining = iter(range(responses))
    lock = threading.Lock()
    sent: dict[str, int] = {}  # marker -> status of the POST
    failures: list[str] = []
    post_ms: list[float] = []

    def client(index: int) -> None:
        rng = random.Random(1000 + index)
        session = client_session(port)
        while True:
            with lock:
                n = next(remaining, None)
            if n is None:
                return
            cookies = {"sessionid": session_keys[n]}
            marker = f"[load-{index}-{n}]"
            try:
                page = session.get(form_url, headers=cookie_header(cookies), timeout=60)
                cookies.update(page.cookies.get_dict())
                token = TOKEN_RE.search(page.text)
                if page.status_code != 200 or not token or "csrftoken" not in cookies:
                    raise RuntimeError(f"form page {page.status_code}, token {bool(token)}")
                respondent_type = rng.choice(["private"] * 6 + Response.RespondentType.values)
                fields = {
                    "csrfmiddlewaretoken": token.group(1),
                    "target": "strategy",
                    "respondent_type": respondent_type,
                    "organisation_name": ""
                    if respondent_type == "private"
                    else "Vallensbæk Grundejerforening",
                    "display_name": f"Borger {index}",
                    "postcode": "2665",
                    "town": "Vallensbæk",
                    "text": f"{response_text(rng)} {marker}",
                    "consent": "on",
                }
                began = time.perf_counter()
                answer = session.post(
                    form_url,
                    files={**{k: (None, v) for k, v in fields.items()}, "attachments": ("", b"")},
                    headers={**cookie_header(cookies), "Origin": f"https://127.0.0.1:{port}", "Referer": form_url},
                    allow_redirects=False,
                    timeout=60,
                )  # fmt: skip
                took = (time.perf_counter() - began) * 1000
                ok = answer.status_code == 302 and "/kvittering/" in answer.headers.get("Location", "")
                with lock:
                    sent[marker] = answer.status_code
                    post_ms.append(took)
                    if not ok:
                        failures.append(f"{marker}: {answer.status_code}")
            except (requests.RequestException, RuntimeError) as error:
                with lock:
                    sent[marker] = -1
                    failures.append(f"{marker}: {error}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    saved = list(Response.objects.filter(hearing_id=hearing_id).values_list("number", "text", "status"))
    numbers = sorted(number for number, _text, _status in saved)
    saved_markers = {m.group(0) for _n, text, _s in saved if (m := re.search(r"\[load-\d+-\d+\]$", text))}
    accepted = {marker for marker, status in sent.items() if status == 302}
    hearing = Hearing.objects.get(pk=hearing_id)
    checks = {
        f"all {responses} submitted and answered with the receipt redirect": len(accepted) == responses,
        f"{responses} saved": len(saved) == responses,
        f"numbered 1..{responses} exactly once": numbers == list(range(1, responses + 1)),
        "the hearing's last number is the count": hearing.last_response_number == responses,
        "none lost (each accepted text saved)": accepted <= saved_markers,
        "nothing saved that was not accepted": saved_markers <= accepted,
        "all published (post-moderation)": all(status == "published" for _n, _t, status in saved),
        "no errors": not failures,
    }
    print(
        f"\n(b) submitting: {clients} clients, {responses} signed-in citizens, one response each, through the form"
    )
    print(
        f"    wall time {elapsed:.1f} s, {responses / elapsed:.1f} responses/s (each a GET of the form + a POST)"
    )
    print(f"    POST latency ms: p50 {percentile(post_ms, 50):.0f}, p95 {percentile(post_ms, 95):.0f}, p99 {percentile(post_ms, 99):.0f}")  # fmt: skip
    for label, ok in checks.items():
        print(f"    {'ok  ' if ok else 'FAIL'} {label}")
    for failure in failures[:10]:
        print(f"    error: {failure}")
    return all(checks.values())


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    # By hand: requests (http.cookiejar) never sends the Secure cookies of production over plain http.
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def cached_lists(redis_url: str, hearing_id: int) -> int:
    """How many rendered response lists of the hearing's current version the cache holds."""
    import redis

    from hearings import response_cache

    pattern = f"*:hearings:responses:{hearing_id}:{response_cache.current_version(hearing_id)}:*"
    return sum(1 for _key in redis.Redis.from_url(redis_url).scan_iter(pattern, count=1000))


def drop_enqueued_tasks(redis_url: str) -> None:
    """The receipts enqueued for the submissions: no worker will send them."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in ("celery", "documents"):
        client.delete(key)


# --- Main ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=["read", "submit", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of reading (default 60)")
    parser.add_argument(
        "--rate", type=float, default=0, help="requests/s offered in total (default 0: no pause)"
    )
    parser.add_argument("--responses", type=int, default=1000, help="responses to submit (default 1000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker, >1 is gthread (default 4)"
    )
    parser.add_argument(
        "--respond-every",
        type=float,
        default=0,
        help="while reading, a citizen's response is published every this many seconds, as at the "
        "deadline rush (removed after the run; default 0: none)",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="read every page once before the run: measure a warm cache (default: start cold)",
    )
    parser.add_argument(
        "--list-cache",
        type=int,
        default=300,
        help="seconds a rendered response list and a hearing page are cached, 0: never (default 300, as in production)",
    )
    args = parser.parse_args()

    port = free_port()
    env = bench_env(port, args.list_cache)
    ensure_database(env["DATABASE_URL"])
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)

    ok = True
    read_id = reading_hearing() if args.part in ("read", "both") else None
    submit_id = submission_hearing() if args.part in ("submit", "both") else None
    from django.db import connection

    if read_id:
        from hearings import response_cache

        response_cache.bump([read_id])  # start cold: nothing an earlier run cached is read
    connection.close()  # idle during the run
    kind = "gthread" if args.threads > 1 else "sync"
    print(
        f"gunicorn: {args.workers} workers x {args.threads} threads ({kind}), port {port}; {os.cpu_count()} CPUs"
    )
    with Gunicorn(port, env, args.workers, args.threads) as server:
        if read_id:
            session = client_session(port)
            for _ in range(2 * args.workers * args.threads):  # warm every worker's templates and connection
                session.get(f"http://127.0.0.1:{port}/hoeringer/{read_id}/", timeout=30)
            if args.warm:
                warm_pages(port=port, hearing_id=read_id)
            published = []
            try:
                published = read_load(
                    port=port,
                    server_pid=server.process.pid,
                    hearing_id=read_id,
                    clients=args.clients,
                    duration=args.duration,
                    rate=args.rate,
                    respond_every=args.respond_every,
                )
                print(
                    f"    response lists in the cache after the run: {cached_lists(env['REDIS_URL'], read_id)}"
                )
            finally:
                drop_enqueued_tasks(env["REDIS_URL"])  # the receipts of --respond-every's responses
                remove_responses(read_id, published)
        if submit_id:
            try:
                ok = submit_load(
                    port=port, hearing_id=submit_id, clients=args.clients, responses=args.responses
                )
            finally:
                drop_enqueued_tasks(env["REDIS_URL"])
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
