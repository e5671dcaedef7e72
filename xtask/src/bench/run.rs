//! Running things: cargo on the bench workspace (clean builds timed, fresh
//! builds reused), the programs, the loopback server process, and where
//! cargo keeps registry sources.

use super::parse::children_cpu_secs;
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// What a clean build took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BuildTime {
    /// Wall seconds.
    pub wall: f64,
    /// CPU seconds (user + system) of cargo and every compiler and build
    /// script it ran; `None` where `/proc/self/stat` cannot be read.
    pub cpu: Option<f64>,
}

/// CPU seconds of this process's finished children so far.
fn children_cpu() -> Option<f64> {
    children_cpu_secs(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// One of the two programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    /// `bench-ours`, on `aws-proton`.
    Ours,
    /// `bench-official`, on `aws-sdk-proton`.
    Official,
}

impl Program {
    /// Both, ours first.
    pub const BOTH: [Program; 2] = [Program::Ours, Program::Official];

    /// The short name (`ours`, `official`): target dir `bench/target-<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Program::Ours => "ours",
            Program::Official => "official",
        }
    }

    /// The cargo package and binary.
    pub fn package(self) -> &'static str {
        match self {
            Program::Ours => "bench-ours",
            Program::Official => "bench-official",
        }
    }

    /// The client crate whose compile time and lines are reported alone.
    pub fn client_crate(self) -> &'static str {
        match self {
            Program::Ours => "aws-proton",
            Program::Official => "aws-sdk-proton",
        }
    }
}

/// `$CARGO`, as cargo sets it for the xtask, else `cargo`.
pub fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs `cmd` (stderr passed through) and returns its stdout; a failure
/// status is an error naming the command.
pub fn run_checked(cmd: &mut Command) -> Result<String> {
    let output = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!("{cmd:?} failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The programs that are not compared, only run: their binaries.
pub struct Helpers {
    /// `bench-server`, the loopback server.
    pub server: PathBuf,
    /// `bench-floor`, plain hyper replaying ours' request.
    pub floor: PathBuf,
    /// `bench-codec`, our codec against `serde_json` derive.
    pub codec: PathBuf,
}

impl Helpers {
    /// Their packages.
    pub const PACKAGES: [&'static str; 3] = ["bench-server", "bench-floor", "bench-codec"];
}

/// Cargo on the `bench/` workspace, one target dir per program.
pub struct Cargo {
    /// `bench/`.
    pub bench: PathBuf,
    /// `-j` for every build.
    pub jobs: usize,
}

impl Cargo {
    /// `bench/target-<name>`.
    pub fn target_dir(&self, p: Program) -> PathBuf {
        self.bench.join(format!("target-{}", p.name()))
    }

    fn binary(&self, p: Program) -> PathBuf {
        self.target_dir(p).join("release").join(p.package())
    }

    /// The size of a stripped copy (binutils `strip`) of `p`'s release
    /// binary, as built last.
    pub fn stripped_size(&self, p: Program) -> Result<u64> {
        let copy = self.target_dir(p).join(format!("{}.stripped", p.package()));
        std::fs::copy(self.binary(p), &copy)?;
        run_checked(Command::new("strip").arg(&copy))?;
        Ok(std::fs::metadata(&copy)?.len())
    }

    /// `cargo <args> --target-dir <dir> -j <jobs>` in `bench/`, without the
    /// caller's `RUSTFLAGS` (both programs build with cargo's defaults).
    pub fn command(&self, args: &[&str], target_dir: &Path) -> Command {
        let mut cmd = Command::new(cargo_program());
        cmd.current_dir(&self.bench)
            .args(args)
            .arg("--target-dir")
            .arg(target_dir)
            .arg("-j")
            .arg(self.jobs.to_string())
            .env_remove("RUSTFLAGS")
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// Wall and CPU seconds of a clean `cargo <what>` of program `p`.
    pub fn clean(&self, p: Program, what: &[&str]) -> Result<BuildTime> {
        let dir = self.target_dir(p);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        let mut args = what.to_vec();
        args.extend(["-p", p.package()]);
        eprintln!(
            "bench: clean `cargo {}` of {} ...",
            args.join(" "),
            p.package()
        );
        let cpu_before = children_cpu();
        let started = Instant::now();
        let output = self.command(&args, &dir).stdout(Stdio::null()).output()?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = children_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after - before);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
            bail!(
                "cargo {} failed ({}):\n{}",
                args.join(" "),
                output.status,
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        match cpu {
            Some(cpu) => eprintln!("bench:   {wall:.1} s, {cpu:.1} CPU-s"),
            None => eprintln!("bench:   {wall:.1} s"),
        }
        Ok(BuildTime { wall, cpu })
    }

    /// Builds `p` in release if its binary is missing (no-op when fresh).
    pub fn ensure_built(&self, p: Program) -> Result<PathBuf> {
        let status = self
            .command(
                &["build", "--release", "-q", "-p", p.package()],
                &self.target_dir(p),
            )
            .status()?;
        if !status.success() {
            bail!("building {} failed", p.package());
        }
        Ok(self.binary(p))
    }

    /// `bench/target-server`: the server, the floor program and the codec
    /// program (hyper and tokio, so they share their builds; none of them
    /// is timed or sized).
    pub fn server_dir(&self) -> PathBuf {
        self.bench.join("target-server")
    }

    /// Builds `bench-server`, `bench-floor` and `bench-codec` in release;
    /// their binaries.
    pub fn build_helpers(&self) -> Result<Helpers> {
        let dir = self.server_dir();
        let mut args = vec!["build", "--release", "-q"];
        for package in Helpers::PACKAGES {
            args.extend(["-p", package]);
        }
        let status = self.command(&args, &dir).status()?;
        if !status.success() {
            bail!("building {} failed", Helpers::PACKAGES.join(", "));
        }
        let release = dir.join("release");
        Ok(Helpers {
            server: release.join("bench-server"),
            floor: release.join("bench-floor"),
            codec: release.join("bench-codec"),
        })
    }

    /// `cargo tree -e normal,build --prefix none -p <package>`.
    pub fn tree(&self, package: &str) -> Result<String> {
        run_checked(
            Command::new(cargo_program())
                .current_dir(&self.bench)
                .args(["tree", "-q", "-e", "normal,build", "--prefix", "none", "-p"])
                .arg(package),
        )
    }
}

/// `$CARGO_HOME/registry/src/*` (default `~/.cargo`).
pub fn registry_src_dirs() -> Result<Vec<PathBuf>> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let src = home.join("registry").join("src");
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(&src).with_context(|| format!("reading {}", src.display()))? {
        dirs.push(entry?.path());
    }
    Ok(dirs)
}

/// The loopback server process, stopped on drop.
pub struct Server {
    child: Child,
    /// Where it listens (`http://127.0.0.1:PORT`).
    pub url: String,
}

impl Server {
    /// Starts `bin args…` and waits for its `listening on URL` line.
    pub fn start(bin: &Path, args: &[&str]) -> Result<Server> {
        let mut child = Command::new(bin)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            bail!("the bench server said `{}`", line.trim());
        };
        Ok(Server {
            url: url.to_owned(),
            child,
        })
    }

    /// Kills the server and reaps it.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
