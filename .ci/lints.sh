# Sourced by .ci/test: the workspace's own crates are compiled by clippy-driver, so every
# build of them is also their clippy run, with warnings as errors (what `cargo clippy --
# -D warnings` does, without a separate check build). Dependencies are compiled by rustc
# as usual and keep their own artifacts.
RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
# The arguments `cargo clippy -- -D warnings` hands to clippy-driver, in its encoding.
CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

# Proves the wrapper lints before anything relies on it: a crate with one clippy warning
# (`needless_return`) must fail to build. Should clippy's hand-over ever change, CI stops
# here instead of passing without lints.
lints_are_on() {
  local probe status=0
  probe="$(mktemp -d)"
  mkdir -p "$probe/src"
  printf '[package]\nname = "lint-probe"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n' >"$probe/Cargo.toml"
  printf 'fn answer() -> u8 {\n    return 42;\n}\nfn main() {\n    println!("{}", answer());\n}\n' >"$probe/src/main.rs"
  if (cd "$probe" && CARGO_TARGET_DIR="$probe/target" cargo build --quiet 2>"$probe/err"); then
    echo "clippy-driver did not refuse a needless return: lints would not run" >&2
    status=1
  elif ! grep -q "needless_return" "$probe/err"; then
    echo "the lint probe failed for another reason:" >&2
    cat "$probe/err" >&2
    status=1
  fi
  rm -rf "$probe"
  return "$status"
}
