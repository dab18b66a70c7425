#!/bin/sh
# One-shot (compose service `temporal-setup`, image temporalio/admin-tools): registers the custom
# search attributes that the workflows set, then checks each one has the expected type.
# Idempotent: an attribute that is already there is fine; one there with another type fails.
#
# KEEP IN SYNC with SEARCH_ATTRIBUTE_REGISTRATIONS in libs/temporal/src/evaluation.contract.ts
# (name=Type, Type as the Temporal CLI spells it).
set -eu

ATTRIBUTES="${SEARCH_ATTRIBUTES:-AppraiseStatus=Keyword AppraiseTier=Keyword AppraiseAgency=Keyword AppraiseRequestedAmount=Int AppraiseStepDueAt=Datetime}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must be set (host:port of the Temporal frontend)}"
export TEMPORAL_ADDRESS

# The namespace can take a moment to reach every service's cache after it was created.
tries=0
until temporal operator search-attribute list --namespace "$NAMESPACE" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "namespace $NAMESPACE not usable at $TEMPORAL_ADDRESS after 60s" >&2
    exit 1
  fi
  sleep 1
done

for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if out=$(temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" 2>&1); then
    echo "registered $name ($type)"
  else
    case "$out" in
      *"already exists"*|*"AlreadyExists"*) echo "$name already exists (its type is checked below)" ;;
      *) echo "registering $name ($type) failed: $out" >&2; exit 1 ;;
    esac
  fi
done

# Verify names and types (`list -o json` reports e.g. INDEXED_VALUE_TYPE_KEYWORD).
list=$(temporal operator search-attribute list --namespace "$NAMESPACE" -o json)
status=0
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  case "$type" in
    KeywordList) want=INDEXED_VALUE_TYPE_KEYWORD_LIST ;;
    *) want="INDEXED_VALUE_TYPE_$(echo "$type" | tr '[:lower:]' '[:upper:]')" ;;
  esac
  have=$(printf '%s' "$list" | jq -r --arg n "$name" '.customAttributes[$n] // "missing"')
  if [ "$have" != "$want" ]; then
    echo "search attribute $name is $have, want $want" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "search attributes ready in namespace $NAMESPACE"
exit "$status"
