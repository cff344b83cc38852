# Konsilo: docker build -t konsilo . && docker run -d -v konsilo-data:/data konsilo
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY . .
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /data konsilo \
    && mkdir -p /data \
    && chown konsilo:konsilo /data \
    && chmod 700 /data

# The SQLite database and the secret key (secret.key) live here.
ENV KONSILO_DATA=/data
VOLUME /data
WORKDIR /data
USER konsilo

ENTRYPOINT ["konsilo"]
CMD ["run"]
