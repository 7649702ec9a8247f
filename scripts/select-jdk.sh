# shellcheck shell=bash
# Sourced by ./klingrelay and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps JAVA_HOME when it already qualifies, else scans the system's JVM folders
# (reading java.specification.version) and takes the newest qualifying JDK.

klingrelay_java_spec() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

klingrelay_select_jdk() {
  local min=21 best="" best_v=0 candidate v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(klingrelay_java_spec "$JAVA_HOME")
    if [ "${v%%.*}" -ge "$min" ] 2>/dev/null; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    v=$(klingrelay_java_spec "$candidate")
    v=${v%%.*}
    if [ "$v" -ge "$min" ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then
      best="$candidate"; best_v="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "klingrelay: no JDK >= $min found (looked at JAVA_HOME and the system's JVM folders); install one or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

klingrelay_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
