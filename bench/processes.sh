# Sourced by the bench scripts: what they share about ports, processes and numbers.

# free_port: a TCP port of 127.0.0.1 nothing listens on now.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# descendants PID: PID and every process below it.
descendants() {
  local pid="$1" child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do descendants "$child"; done
}

# tree_ticks PID: the CPU time of a process tree, in clock ticks (user + system).
tree_ticks() {
  local total=0 pid ticks
  for pid in $(descendants "$1"); do
    ticks="$(awk '{ print $14 + $15 }' /proc/"$pid"/stat 2>/dev/null || true)"
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

# busy_ticks: the machine's CPU time in use so far, every CPU, in clock ticks.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# median_of_lines: the median of the numbers on standard input, one a line.
median_of_lines() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
