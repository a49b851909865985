# Production image: gunicorn for the web, the same image runs the worker and the scheduler.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint needs Pango; pg_dump serves export_town.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv
COPY pyproject.toml uv.lock ./
# Production's dependencies only: no test tools (dev), no embedded servers (local).
RUN uv sync --frozen --no-default-groups --no-install-project
COPY . .
RUN SECRET_KEY=collectstatic PAYMENT_CONFIG_KEY=collectstatic CACHE_URL=redis://localhost:6379/1 \
    DATABASE_URL=postgres://x@localhost/x python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 portail && mkdir -p /app/var && chown portail /app/var
USER portail
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
