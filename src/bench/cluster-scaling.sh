#!/bin/bash
# Scaling of a search across machines on one machine (BENCHMARKS.md, "Search across machines: 1, 2 and 3 members"):
# the same 8-trial search with 1, 2 and 3 members, each JVM pinned to one core (taskset) and told it has one; then,
# as a control, two independent one-member searches at once (what this machine gives two processes).
# Usage: src/bench/cluster-scaling.sh target/babysitter.jar ../shared/data/cifar-10-binary.tar.gz   (Linux, taskset)
set -u
JAR=$(realpath "$1"); DATA=$(realpath "$2")
WORK=$(mktemp -d); cd "$WORK" || exit 1
head -c 24 /dev/urandom | base64 > secret; chmod 600 secret
J="java -XX:ActiveProcessorCount=1 -jar $JAR"
SEARCH="search --data $DATA --subset 20000 --trials 8 --epochs 4 --hidden 200 --lr 1e-4:1e-3:log --reg 1e-4:1e-2:log --seed 5 --jobs 1 --cluster scale --secret-file secret --bind 127.0.0.1"
stamp() { while IFS= read -r line; do echo "$(date +%s.%N) $line"; done; }
span() { # first trial sent to last result, seconds
  local first last; first=$(grep -m1 -E ' trial [0-9]+ -> ' "$1" | cut -d' ' -f1); last=$(grep -E 'val_acc: ' "$1" | tail -1 | cut -d' ' -f1)
  python3 -c "print(round($last-$first,1))"
}
for members in 1 2 3; do
  for rep in 1 2; do
    rm -rf store; pids=()
    for w in $(seq 2 "$members"); do # workers wait for the owner (they ask again every 5 s)
      taskset -c $(( (w - 1) % 2 )) $J worker --join 127.0.0.1:5901 --cluster scale --secret-file secret --data "$DATA" \
          --bind 127.0.0.1 --port $((5901 + w)) > "worker$w.log" 2>&1 &
      pids+=($!)
    done
    taskset -c 0 $J $SEARCH --port 5901 --wait-for $((members - 1)) --store store 2>&1 | stamp > "owner-$members-$rep.log"
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null
    echo "members=$members rep=$rep: first trial sent to last result $(span "owner-$members-$rep.log") s;" \
        "trials per member: $(grep -o 'trial [0-9]* -> [0-9.:]*' "owner-$members-$rep.log" | awk '{print $4}' | sort | uniq -c | tr -s ' \n' ' ')"
  done
done
for rep in 1 2; do
  rm -rf storeA storeB
  (taskset -c 0 $J $SEARCH --port 5951 --store storeA 2>&1 | stamp > "ctlA-$rep.log") &
  (taskset -c 1 $J $SEARCH --port 5961 --store storeB 2>&1 | stamp > "ctlB-$rep.log") &
  wait
  echo "control rep=$rep: two one-member searches at once: $(span "ctlA-$rep.log") s and $(span "ctlB-$rep.log") s"
done
echo "logs in $WORK"
