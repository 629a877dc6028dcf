#!/usr/bin/env bash
# Runs once inside the official postgres image (docker-entrypoint-initdb.d): the same roles and
# databases as infra/postgres/setup.sh makes on a machine, through the container's socket.
export PGHOST=/var/run/postgresql PGPORT=5432 PGADMIN_URL="postgresql://postgres@/postgres?host=/var/run/postgresql"
exec bash /infra/postgres/setup.sh
