#!/bin/sh
# Builds the fuzzers (the condition parser, the rules loader, the rule
# compiler with its regexes and prefilter, capture files)
# with libFuzzer, ASan and UBSan against the sources they test, seeds their
# corpora (malformed rules, Falco's rules file, a small capture), and runs
# each for a bounded time. Prints "ok fuzz-<name>" or "not ok fuzz-<name>"
# per fuzzer; crashes are left in build-fuzz/.
#
#   tests/fuzz/run.sh [seconds per fuzzer]     (default 30, or $FUZZ_TIME)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
B=${B:-build-fuzz}
secs=${1:-${FUZZ_TIME:-30}}
CLANG=${CLANG:-clang}
falco=../shared/third_party/falco/falco_rules.yaml
cflags="-std=gnu11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror -Irules -Iengine -Ibpf
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
# the rules front-end: YAML and conditions in, struct ruleset_src out
front_end="rules/ast.c rules/condition_parse.c rules/diag.c rules/exceptions.c rules/loc_text.c
	rules/name_index.c rules/priority.c rules/rules_items.c rules/rules_load.c rules/rules_yaml.c
	rules/ruleset_assemble.c rules/ruleset_collect.c rules/yaml_pos.c"
mkdir -p "$B"
status=0

# one seed file per line of text on stdin, after an optional first byte (a printf escape)
seed_lines() { # dir prefix [byte]
	i=0
	while IFS= read -r line; do
		i=$((i + 1))
		{
			[ -n "${3:-}" ] && printf "$3"
			printf '%s' "$line"
		} > "$1/$2-$i"
	done
}

seed() { # name dir
	case $1 in
	rules_yaml)
		cp tests/rules_malformed/*.yaml "$2/"
		[ -f "$falco" ] && cp "$falco" "$2/falco_rules.yaml"
		;;
	condition)
		[ -f "$falco" ] && sed -n 's/^  condition: \(.*[^>|]\)$/\1/p' "$falco" | seed_lines "$2" falco
		seed_lines "$2" extra <<'SEEDS'
tolower(proc.name) = bash and proc.name != val(proc.pname)
proc.aname[2] in (runc:[0:PARENT], "a b", 'c\'d') or not fd.name startswith /dev/shm/
shell and not (proc.cmdline contains "\"x\"" or fd.net = 127.0.0.0/8)
len(b64(evt.buffer)) > 3 and proc.pname exists and x.y pmatch (shells, /tmp)
SEEDS
		;;
	compile)
		# odd first byte: a regex (those of the packs and of Falco's rules); even: a condition
		cat presets/*.yaml "$falco" 2>/dev/null | grep -o "regex '[^']*'" |
			sed "s/^regex '//; s/'\$//" | seed_lines "$2" regex '\001'
		[ -f "$falco" ] && sed -n 's/^  condition: \(.*[^>|]\)$/\1/p' "$falco" |
			seed_lines "$2" falco '\000'
		;;
	capture)
		# a real capture file, and its raw block contents (the target's first byte picks the mode)
		printf '\000' > "$2/seed-file"
		printf '\001' > "$2/seed-block"
		printf '\002' > "$2/seed-roundtrip"
		;;
	esac
}

sources() { # name
	case $1 in
	capture) echo "engine/capture_file.c -lz" ;;
	compile)
		# the rules directory and the engine parts its fields read (no BPF, no outputs)
		ls rules/*.c engine/*.c | grep -v -E 'engine/(main|cmd_[a-z]+|kernel_[a-z]+|enforce|control|pipeline|observe|capture_file|output_[a-z]+|alerts|event_json|decode|presets|rules_cli|syscall_select)[.]c'
		echo "-lyaml -lpcre2-8 -ljansson -lz"
		;;
	*) echo "$front_end -lyaml" ;;
	esac
}

for name in condition rules_yaml compile capture; do
	bin=$B/fuzz_$name
	corpus=$B/corpus_$name
	# shellcheck disable=SC2086
	if ! $CLANG $cflags -o "$bin" "tests/fuzz/fuzz_$name.c" $(sources "$name") \
		> "$B/build_$name.log" 2>&1; then
		cat "$B/build_$name.log"
		echo "not ok fuzz-$name (build failed)"
		status=1
		continue
	fi
	mkdir -p "$corpus"
	seed "$name" "$corpus"
	if (cd "$B" && "./fuzz_$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
		-max_len=16384 "corpus_$name") > "$B/run_$name.log" 2>&1; then
		echo "ok fuzz-$name"
	else
		tail -n 60 "$B/run_$name.log"
		echo "not ok fuzz-$name (see $B/run_$name.log; the crashing input is in $B)"
		status=1
	fi
done
exit $status
