# Sourced by ./mvnw and ./panode: makes JAVA_HOME point at a JDK >= 25 when the default one is older.
# Looks at JAVA_HOME, then `java` on PATH, then the usual install folders (Linux distributions, SDKMAN, macOS).
# Without one it stops with a message saying what to install.
# Every command runs this, so it starts no process where the shell can do the work itself (each fork and exec of a
# small tool costs a millisecond or more).

panode_java_major() { # sets PANODE_JAVA_MAJOR to the feature version of the java binary $1 ("" when unknown)
  # the JDK's release file names its version without starting a JVM (about 0.1 s saved on every command)
  local release line v=""
  release="${1%/*}"
  release="${release%/*}/release"
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=\"*) v="${line#JAVA_VERSION=\"}"; v="${v%%[!0-9]*}"; break ;;
      esac
    done < "$release"
    if [ -n "$v" ] && [ "$v" != 1 ]; then PANODE_JAVA_MAJOR="$v"; return; fi
  fi
  PANODE_JAVA_MAJOR=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
}

panode_select_jdk() {
  local need=25 cand v noglob=0 onpath=""
  case $- in *f*) noglob=1; set +f ;; esac
  if command -v java >/dev/null 2>&1; then
    onpath="$(readlink -f "$(command -v java)")"
    onpath="${onpath%/*}"
    onpath="${onpath%/*}"
  fi
  for cand in "${JAVA_HOME:-}" "$onpath" \
      /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    panode_java_major "$cand/bin/java"
    v="$PANODE_JAVA_MAJOR"
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
