#!/usr/bin/env bash
# Pack check: packs every packable src project to artifacts/packages, checks each package's metadata (id, description,
# README, license expression and LICENSE file, repository commit, symbol package; repository URL and SourceLink when the clone has an
# 'origin' remote), then restores and runs eng/PackCheck, a consumer outside Adapters.sln that installs
# the LlmAdapters meta-package from that folder and makes one chat call on the packed emulator; packs the chat CLI as
# the .NET tool LlmAdapters.Chat.Tool, installs it from that folder and runs 'llm-chat "Hello"' on its emulator.
# Ends with one line: "pack check passed" or "pack check FAILED: <why>", and exits non-zero on failure.
# PACK_CONFIGURATION (default Debug) picks the build configuration: Debug reuses what the test run just built.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration="${PACK_CONFIGURATION:-Debug}"
out="$PWD/artifacts/packages"
log="$PWD/artifacts/pack-check.log"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
rm -rf "$out" artifacts/pack-check
mkdir -p "$out"
: >"$log"

fail() { echo "pack check FAILED: $1 (details in artifacts/pack-check.log)"; exit 1; }

packed=()
for project in $(find src -name '*.csproj' | sort); do
  name=$(basename "$project" .csproj)
  packable=$(dotnet msbuild "$project" -getProperty:IsPackable 2>>"$log")
  [ "$packable" = "true" ] || { echo "not packable, skipped: $name" >>"$log"; continue; }
  dotnet pack "$project" -c "$configuration" -o "$out" -nologo -v q >>"$log" 2>&1 || fail "dotnet pack $name"
  packed+=("$name")
done
[ "${#packed[@]}" -gt 0 ] || fail "no packable project under src"

# SourceLink maps a hosted remote (https, ssh) to a URL; a clone of a local folder (as .ci/run makes) has none to map.
has_origin=false
case "$(git remote get-url origin 2>/dev/null)" in
  https://*|http://*|ssh://*|git@*) has_origin=true ;;
esac

for name in "${packed[@]}"; do
  nupkg="$out/$name.$version.nupkg"
  [ -f "$nupkg" ] || fail "$name: $nupkg missing"
  [ -f "$out/$name.$version.snupkg" ] || fail "$name: no symbol package (.snupkg)"
  nuspec=$(unzip -p "$nupkg" "$name.nuspec")
  grep -q "<id>$name</id>" <<<"$nuspec" || fail "$name: package id is not $name"
  grep -q '<description>.\{20,\}</description>' <<<"$nuspec" || fail "$name: no description"
  grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "$name: no MIT license expression"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "$name: no package README"
  # Listings are captured before grep: 'grep -q' exits early, and under pipefail the writer's SIGPIPE would fail the check.
  listing=$(unzip -l "$nupkg")
  grep -q ' README.md$' <<<"$listing" || fail "$name: README.md not in the package"
  grep -q ' LICENSE$' <<<"$listing" || fail "$name: LICENSE not in the package"
  grep -q '<repository type="git"[^>]* commit="[0-9a-f]\{40\}"' <<<"$nuspec" || fail "$name: no repository commit"
  if $has_origin; then
    grep -q '<repository type="git" url="[^"]\+"' <<<"$nuspec" || fail "$name: no repository URL"
    unzip -p "$out/$name.$version.snupkg" "lib/net10.0/$name.pdb" >"$out/$name.pdb.tmp"
    grep -a -q '{"documents":' "$out/$name.pdb.tmp" || fail "$name: no SourceLink in the symbols"
  fi
  rm -f "$out/$name.pdb.tmp"
done
$has_origin || echo "note: no hosted 'origin' remote in this clone, so the repository URL and SourceLink (both taken from it) were not checked" >>"$log"

# --- The chat CLI as a .NET tool (issue 25, item 7) ---------------------------------------------------------------
# Packs samples/Chat as the tool package LlmAdapters.Chat.Tool into the local feed, installs it from there into a fresh
# tool path (with a package cache of its own, so an older package of the same version cannot stand in for it), and runs
# 'llm-chat "Hello"' on its built-in emulator: the reply must be the emulator's.
check_chat_tool() {
  local tools="$PWD/artifacts/pack-check/tool" reply
  dotnet pack samples/Chat/Chat.csproj -c "$configuration" -o "$out" -nologo -v q >>"$log" 2>&1 || fail "dotnet pack samples/Chat (the llm-chat tool)"
  [ -f "$out/LlmAdapters.Chat.Tool.$version.nupkg" ] || fail "the tool package LlmAdapters.Chat.Tool.$version.nupkg is missing"
  NUGET_PACKAGES="$PWD/artifacts/pack-check/tool-packages" dotnet tool install LlmAdapters.Chat.Tool --version "$version" \
    --tool-path "$tools" --add-source "$out" >>"$log" 2>&1 || fail "dotnet tool install LlmAdapters.Chat.Tool from artifacts/packages"
  reply=$(env -u AI__Provider -u AI__Endpoint -u AI__ApiKey -u AI__Model NO_COLOR=1 "$tools/llm-chat" "Hello" 2>>"$log") \
    || fail "llm-chat \"Hello\" (the installed tool) failed"
  grep -q '^You said "Hello"\.' <<<"$reply" || fail "llm-chat did not answer from the emulator: $(head -n 1 <<<"$reply")"
  echo "pack check tool reply: $(head -n 1 <<<"$reply")" | tee -a "$log"
}
check_chat_tool

dotnet run --project eng/PackCheck/PackCheck.csproj -p:LlmAdaptersVersion="$version" >>"$log" 2>&1 \
  || fail "the consumer eng/PackCheck did not restore, build or get the expected reply"
grep '^pack check reply:' "$log" | tail -n 1
$has_origin || echo "note: no hosted 'origin' remote, repository URL and SourceLink not checked"
echo "pack check passed: ${#packed[@]} packages in artifacts/packages, consumer ran"
