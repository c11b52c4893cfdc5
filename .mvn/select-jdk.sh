# Sourced by ./mvnw and ./panode: makes JAVA_HOME point at a JDK >= 25 when the default one is older.
# Looks at JAVA_HOME, then `java` on PATH, then the usual install folders (Linux distributions, SDKMAN, macOS).
# Without one it stops with a message saying what to install.

panode_java_major() { # prints the feature version of the java binary $1
  # the JDK's release file names its version without starting a JVM (about 0.1 s saved on every command)
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1)
    [ -n "$v" ] && [ "$v" != 1 ] && { echo "$v"; return; }
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

panode_select_jdk() {
  local need=25 cand v noglob=0
  case $- in *f*) noglob=1; set +f ;; esac
  for cand in "${JAVA_HOME:-}" "$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
      /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$(panode_java_major "$cand/bin/java")
    case "$v" in ''|*[!0-9]*) continue ;; esac
    if [ "$v" -ge "$need" ]; then
      export JAVA_HOME="$cand"
      [ "$noglob" = 1 ] && set -f
      return 0
    fi
  done
  [ "$noglob" = 1 ] && set -f
  echo "panode needs a JDK $need or newer (Vector API + FFM), and none was found." >&2
  echo "Install one (for example Temurin 25, or 'apt-get install openjdk-25-jdk' where available) and set JAVA_HOME to it." >&2
  return 1
}

panode_select_jdk || exit 1
