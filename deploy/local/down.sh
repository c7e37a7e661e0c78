#!/usr/bin/env bash
# Take the local stack down: stops the Kafka broker started by up.sh / kafka.sh.
# PostgreSQL and Redis are provided by the machine (other things may use them): left running.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"

printf '[down] stopping Kafka\n'
bash "$SCRIPT_DIR/kafka.sh" stop
printf '[down] PostgreSQL and Redis left running: the machine provides them (check: bash deploy/local/services.sh status)\n'
printf '[down] Kafka data kept in %s; wipe it with: bash deploy/local/kafka.sh reset\n' "${DUBAN_RUN_DIR:-$SCRIPT_DIR/.run}/kafka/data"
