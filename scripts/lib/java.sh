# shellcheck shell=bash
# Finds a JDK 25 or newer for the Parley scripts and exports JAVA_HOME (./mvnw uses it) and PATH.
# Order: $JAVA_HOME if it is new enough, then the newest under /usr/lib/jvm/, then `java` on PATH.
# Source this file, then call parley_require_java.

PARLEY_MIN_JAVA=25

# Prints the feature version (8, 17, 25, ...) of the JDK at $1, or nothing if it is not a JDK.
parley_jdk_version() {
  local home=$1 version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z "$version" ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [[ -n "$version" ]] || return 0
  if [[ $version == 1.* ]]; then
    version=${version#1.}
  fi
  printf '%s\n' "${version%%[.+-]*}"
}

parley_require_java() {
  local candidate version best="" best_version=0
  if [[ -n "${JAVA_HOME:-}" ]]; then
    version=$(parley_jdk_version "$JAVA_HOME")
    if [[ -n "$version" && "$version" -ge $PARLEY_MIN_JAVA ]]; then
      best=$JAVA_HOME
      best_version=$version
    else
      echo "note: JAVA_HOME=$JAVA_HOME is not a JDK $PARLEY_MIN_JAVA or newer; looking in /usr/lib/jvm" >&2
    fi
  fi
  if [[ -z "$best" ]]; then
    local candidates=(/usr/lib/jvm/*)
    if command -v java >/dev/null 2>&1; then
      candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for candidate in "${candidates[@]}"; do
      [[ -d "$candidate" && ! -L "$candidate" ]] || continue
      version=$(parley_jdk_version "$candidate")
      if [[ -n "$version" && "$version" -ge $PARLEY_MIN_JAVA && "$version" -gt $best_version ]]; then
        best=$candidate
        best_version=$version
      fi
    done
  fi
  if [[ -z "$best" ]]; then
    {
      echo "Parley needs a JDK $PARLEY_MIN_JAVA or newer, and none was found"
      echo "(looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/*, and java on PATH)."
      echo "Install one, for example Eclipse Temurin $PARLEY_MIN_JAVA on Debian/Ubuntu:"
      echo "  https://adoptium.net/installation/linux/  (add the Adoptium apt repository, then"
      echo "  apt-get install temurin-$PARLEY_MIN_JAVA-jdk)"
      echo "then run this again, or point JAVA_HOME at it."
    } >&2
    return 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's Guice calls sun.misc.Unsafe, which JDK 24+ reports on every build; allow it quietly.
  if [[ " ${MAVEN_OPTS:-} " != *" --sun-misc-unsafe-memory-access="* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
}
