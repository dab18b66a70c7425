#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume
# (/docker-entrypoint-initdb.d). Creates one login role and database(s) per system:
#   appraise  -> database appraise                      (the app; owner runs the migrations)
#   temporal  -> databases temporal, temporal_visibility (Temporal's persistence; auto-setup
#                creates the schemas in them)
# Passwords come from APPRAISE_DB_PASSWORD / TEMPORAL_DB_PASSWORD. Changing them later does not
# change these roles: use ALTER ROLE, or start from an empty volume.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_pw="$APPRAISE_DB_PASSWORD" -v temporal_pw="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE appraise LOGIN PASSWORD :'app_pw';
CREATE DATABASE appraise OWNER appraise;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_pw';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
