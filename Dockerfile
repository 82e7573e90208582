# Production image: gunicorn (web), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# gettext: compilemessages below. psycopg[binary] brings its own libpq. Pango, HarfBuzz and a CJK font: WeasyPrint
# renders the supervision notices as PDF (without fonts-noto-cjk the Chinese prints as boxes).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.8

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. pyproject's [tool.uv] build constraint
# (setuptools<81) lets xstatic-bootstrap's sdist build.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# .mo files are built, never committed. Local settings only for this build step (no secrets needed).
RUN if find locale */locale -name '*.po' 2>/dev/null | grep -q .; then \
        DJANGO_SETTINGS_MODULE=governance.settings.local VAR_DIR=/tmp/build-var \
        /app/.venv/bin/python manage.py compilemessages --ignore=.venv -v 0 && rm -rf /tmp/build-var; \
    fi

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app/var/private \
    && chown -R portal:portal /app/var

ENV PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=governance.settings.production \
    VAR_DIR=/app/var

USER portal
EXPOSE 8000

CMD ["gunicorn", "governance.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", \
     "--workers", "3", "--threads", "4", "--access-logfile", "-", "--timeout", "60"]
