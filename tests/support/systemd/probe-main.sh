#!/bin/bash
# ExecStart of probe.service inside the container: run the scenario (bounded), collect the journal,
# mark the run finished, power the container off. The scenario is /etc/clawdbot-test/scenario.sh.
. /opt/clawdbot-harness/probe-lib.sh
set -a; . /etc/clawdbot-test/env; set +a
: > "$O/facts"
note boot.probe-start "$(uptime_s)"
timeout 30 systemctl is-system-running --wait > "$O/system-state" 2>&1
note boot.running "$(uptime_s)"
rc=0
timeout -k 2 "${SCENARIO_TIMEOUT:-120}" bash -c '. /opt/clawdbot-harness/probe-lib.sh; set -x; . /etc/clawdbot-test/scenario.sh' > "$O/scenario.log" 2>&1 || rc=$?
note scenario.rc $rc
note scenario.end "$(uptime_s)"
journalctl -b --no-pager -o short-monotonic > "$O/journal.txt" 2>&1
systemctl list-units --all --no-pager --failed > "$O/failed-units.txt" 2>&1
touch "$O/DONE"
systemctl poweroff --no-block
