#!/usr/bin/env bash
# Pack check: packs every packable src project to artifacts/packages, checks each package's metadata (id, description,
# README, license expression and LICENSE file, repository commit, symbol package; repository URL and SourceLink when the clone has an
# 'origin' remote), then publishes and runs eng/PackCheck, a consumer outside Adapters.sln that installs
# the LlmAdapters meta-package from that folder and makes one chat call on the packed emulator, and the lean app
# eng/PackCheckLean (LlmAdapters.Hosting + LlmAdapters.Anthropic only): its publish folder must not hold the OpenAI SDK,
# StackExchange.Redis, the ML tokenizers, Polly or another LlmAdapters package, and it must answer, stream and not.
# PACK_SIZES=1 also measures every package's publish size (artifacts/pack-check/package-sizes.md). It also packs the chat
# CLI as the .NET tool LlmAdapters.Chat.Tool, installs it from that folder and runs 'llm-chat "Hello"' on its emulator.
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

# The meta-package consumer, published as a user would ship it, then run.
meta_publish="$PWD/artifacts/pack-check/meta-publish"
dotnet publish eng/PackCheck/PackCheck.csproj -c Release -o "$meta_publish" -nologo -v q -p:LlmAdaptersVersion="$version" >>"$log" 2>&1 \
  || fail "the consumer eng/PackCheck did not restore, build or publish"
dotnet "$meta_publish/PackCheck.dll" >>"$log" 2>&1 || fail "the published consumer eng/PackCheck did not get the expected reply"
grep '^pack check reply:' "$log" | tail -n 1

# --- Lean application (issue 25): LlmAdapters.Hosting + LlmAdapters.Anthropic only -------------------------------------
# Publishes eng/PackCheckLean, fails when the publish folder holds an assembly the lean app must not carry, then runs it
# (one call without streaming, one streamed) against the packed emulator, which the meta consumer serves from another
# process on a free port. Prints the publish sizes of both applications.
publish_size() { # folder -> "<MB> MB in <n> files"
  local bytes files
  bytes=$(find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  files=$(find "$1" -type f -name '*.dll' | wc -l)
  awk -v b="$bytes" -v f="$files" 'BEGIN { printf "%.1f MB in %d DLLs", b / 1048576, f }'
}

lean_app_check() {
  local lean_publish="$PWD/artifacts/pack-check/lean-publish" server_out="$PWD/artifacts/pack-check/emulator.out"
  dotnet publish eng/PackCheckLean/PackCheckLean.csproj -c Release -o "$lean_publish" -nologo -v q -p:LlmAdaptersVersion="$version" >>"$log" 2>&1 \
    || fail "the lean app eng/PackCheckLean did not restore, build or publish"
  local forbidden
  forbidden=$(cd "$lean_publish" && ls -1 -- *.dll | grep -E '^(OpenAI|StackExchange\.Redis|Microsoft\.ML\.Tokenizers|Polly|Pipelines\.Sockets)|^LlmAdapters\.' \
    | grep -v -E '^LlmAdapters\.(Hosting|Hosting\.Abstractions|Core|Anthropic)\.dll$')
  [ -z "$forbidden" ] || fail "the lean app (Hosting + Anthropic) publishes assemblies it must not carry: $(echo $forbidden)"

  dotnet "$meta_publish/PackCheck.dll" --serve >"$server_out" 2>>"$log" &
  local server=$! endpoint="" waited=0
  while [ -z "$endpoint" ] && [ "$waited" -lt 60 ] && kill -0 "$server" 2>/dev/null; do
    sleep 0.5; waited=$((waited + 1))
    endpoint=$(sed -n 's/^emulator: //p' "$server_out")
  done
  if [ -z "$endpoint" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; fail "the emulator for the lean app did not start"; fi
  dotnet "$lean_publish/PackCheckLean.dll" "$endpoint" >>"$log" 2>&1
  local status=$?
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
  [ "$status" -eq 0 ] || fail "the lean app did not get the expected Anthropic replies (stream and not) from the emulator at $endpoint"
  grep '^lean app reply:' "$log" | tail -n 1
  echo "publish size: lean app (Hosting + Anthropic) $(publish_size "$lean_publish"); meta-package app $(publish_size "$meta_publish") (with the emulator)"
}
lean_app_check

# --- Package sizes (PACK_SIZES=1; docs/architecture.md, "Packages") ---------------------------------------------------
# For every packed package: its own DLL size, and the publish size of a minimal app that references only it (the
# meta-package, and the Hosting package, included). Slow (one publish per package), so not part of the CI run.
package_sizes() {
  local table="$PWD/artifacts/pack-check/package-sizes.md" name own app
  printf '| Package | Own DLL | Minimal app publish |\n|---|---|---|\n' >"$table"
  for name in "${packed[@]}"; do
    own=$(unzip -l "$out/$name.$version.nupkg" "lib/net10.0/*.dll" 2>/dev/null | awk '/\.dll$/ { s += $1 } END { printf "%.0f KB", s / 1024 }')
    app="$PWD/artifacts/pack-check/size-$name"
    if dotnet publish eng/PackCheckLean/PackCheckLean.csproj -c Release -o "$app/publish" -nologo -v q -p:LlmAdaptersVersion="$version" \
        -p:PackCheckName="size-$name" -p:PackCheckPackages="$name" >>"$log" 2>&1; then
      printf '| %s | %s | %s |\n' "$name" "$own" "$(publish_size "$app/publish")" >>"$table"
    else
      printf '| %s | %s | (publish failed) |\n' "$name" "$own" >>"$table"
    fi
  done
  echo "package sizes: $table"
}
[ "${PACK_SIZES:-0}" = "1" ] && package_sizes

$has_origin || echo "note: no hosted 'origin' remote, repository URL and SourceLink not checked"
echo "pack check passed: ${#packed[@]} packages in artifacts/packages, consumer and lean app ran"
