# One image for the web and worker services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; gettext compiles the translations; node builds the design system assets;
# Tesseract (with its Danish model) and poppler's pdftoppm read scanned attachments (guard/extraction.py).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext nodejs npm curl \
    tesseract-ocr tesseract-ocr-dan poppler-utils \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN pip install . \
 && python manage.py compilemessages --ignore=node_modules \
 && DJANGO_SETTINGS_MODULE=portal.settings.production DJANGO_SECRET_KEY=build-only \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
