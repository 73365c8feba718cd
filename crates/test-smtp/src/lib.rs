//! Real SMTP servers on 127.0.0.1 for tests; a dev-dependency only.
//!
//! [`TestSmtp::start`] spawns a real server process on a free port and kills
//! it when the value is dropped:
//!
//! - every [`Behaviour`] except [`Behaviour::Sink`] runs `tests/smtp/server.py`
//!   (Python's aiosmtpd), which stores each accepted message so a test can
//!   read it back with [`TestSmtp::messages`] and can be told to refuse,
//!   defer or drop mail the way real servers do;
//! - [`Behaviour::Sink`] runs Postfix's `smtp-sink`, which throws messages
//!   away as fast as it can, for benchmarks.
//!
//! "The server is down" needs no server: [`closed_port`] is a port nothing
//! listens on.
//!
//! The Python comes from `INVOICER_SMTP_PYTHON`, else `tests/smtp/.venv` in
//! the repository, which `scripts/setup.sh` creates.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// Accept and store every message.
    Accept,
    /// Answer the first `n` messages with `451` after their data, then accept.
    SoftRejectData(u32),
    /// Answer the first `n` RCPT commands with `451`, then accept.
    SoftRejectRcpt(u32),
    /// Answer every message with `550` after its data.
    RejectData,
    /// Store the message, then drop the connection before the final reply,
    /// so the client cannot know it was accepted.
    DropAfterData,
    /// Store the message, then never send the final reply: the client
    /// times out not knowing whether it was accepted.
    SilentAfterData,
    /// Accept and store each message, then close the connection, as a
    /// server does when it ends idle connections: the client's next command
    /// on it finds it closed.
    HangUpAfterEach,
    /// Require AUTH (PLAIN or LOGIN) with this user name and password, then
    /// accept and store. Without TLS it is offered on the plain connection
    /// (loopback only); behind STARTTLS only once the connection is
    /// encrypted.
    RequireAuth {
        /// The user name the server accepts.
        username: String,
        /// The password the server accepts.
        password: String,
    },
    /// Postfix's `smtp-sink`: accepts everything as fast as it can and keeps
    /// nothing ([`TestSmtp::messages`] stays empty).
    Sink,
}

/// How a server started with [`TestSmtp::start_tls`] encrypts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// A plain connection that offers STARTTLS.
    Starttls,
    /// TLS from the first byte.
    Implicit,
}

/// Who a stored message was sent from and to, as the SMTP envelope said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `MAIL FROM`.
    pub mail_from: String,
    /// Every `RCPT TO`, in order (Bcc recipients included).
    pub rcpt_to: Vec<String>,
}

/// A running SMTP server, killed on drop.
#[derive(Debug)]
pub struct TestSmtp {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    certificate: Option<Vec<u8>>,
}

/// The repository's root, where `tests/smtp` lives.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("INVOICER_SMTP_PYTHON") {
        return PathBuf::from(p);
    }
    repo_root().join("tests/smtp/.venv/bin/python")
}

/// The calling process's CPU time so far (user + system), for the SMTP
/// benchmarks' "CPU per message": the servers are other processes, so this
/// is the client's cost alone. /proc/self/stat counts in clock ticks, which
/// are 1/100 s on Linux (USER_HZ); zero where it cannot be read.
pub fn process_cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold
    // spaces): utime and stime are fields 14 and 15 of the whole line.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago):
/// connecting to it is refused, like a server that is down.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl TestSmtp {
    /// Starts a server that behaves as `behaviour`, on 127.0.0.1 and a free
    /// port. Panics with what to do when the server cannot be started (e.g.
    /// "run scripts/setup.sh").
    pub fn start(behaviour: Behaviour) -> TestSmtp {
        let dir = tempfile::tempdir().expect("a temporary folder for the server");
        match behaviour {
            Behaviour::Sink => Self::start_sink(dir),
            other => Self::start_aiosmtpd(&other, None, dir),
        }
    }

    /// Starts an aiosmtpd server that behaves as `behaviour` behind TLS,
    /// with a self-signed certificate for `127.0.0.1` and `localhost` made
    /// for it (by the `openssl` command); [`TestSmtp::certificate_pem`] is
    /// what a client must trust. Panics for [`Behaviour::Sink`].
    pub fn start_tls(behaviour: Behaviour, mode: TlsMode) -> TestSmtp {
        assert!(behaviour != Behaviour::Sink, "smtp-sink has no TLS");
        let dir = tempfile::tempdir().expect("a temporary folder for the server");
        Self::start_aiosmtpd(&behaviour, Some(mode), dir)
    }

    /// The server's certificate (PEM), when it was started with TLS.
    pub fn certificate_pem(&self) -> Option<&[u8]> {
        self.certificate.as_deref()
    }

    fn start_aiosmtpd(
        behaviour: &Behaviour,
        tls: Option<TlsMode>,
        dir: tempfile::TempDir,
    ) -> TestSmtp {
        let python = python();
        let script = repo_root().join("tests/smtp/server.py");
        assert!(
            python.exists(),
            "no Python with aiosmtpd at {}: run scripts/setup.sh (or set INVOICER_SMTP_PYTHON)",
            python.display()
        );
        let mut cmd = Command::new(&python);
        cmd.arg(&script)
            .arg("--dir")
            .arg(dir.path().join("messages"));
        match behaviour {
            Behaviour::Accept | Behaviour::Sink => {}
            Behaviour::SoftRejectData(n) => {
                cmd.arg("--soft-reject-data").arg(n.to_string());
            }
            Behaviour::SoftRejectRcpt(n) => {
                cmd.arg("--soft-reject-rcpt").arg(n.to_string());
            }
            Behaviour::RejectData => {
                cmd.arg("--reject-data");
            }
            Behaviour::DropAfterData => {
                cmd.arg("--drop-after-data");
            }
            Behaviour::SilentAfterData => {
                cmd.arg("--silent-after-data");
            }
            Behaviour::HangUpAfterEach => {
                cmd.arg("--hang-up-after-each");
            }
            Behaviour::RequireAuth { username, password } => {
                cmd.arg("--auth").arg(format!("{username}:{password}"));
            }
        }
        let certificate = tls.map(|mode| {
            let (cert, key) = self_signed_certificate(dir.path());
            cmd.arg("--tls-cert").arg(&cert).arg("--tls-key").arg(key);
            cmd.arg("--tls-mode").arg(match mode {
                TlsMode::Starttls => "starttls",
                TlsMode::Implicit => "implicit",
            });
            std::fs::read(cert).expect("read the certificate")
        });
        // stderr goes to a file: a pipe nobody reads would fill up and
        // stall the server.
        let log_path = dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).expect("create the server's log");
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} {}: {e}; run scripts/setup.sh",
                    python.display(),
                    script.display()
                )
            });
        // The server prints its port once it listens; end of output first
        // means it died, and its stderr says why.
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        let read = BufReader::new(stdout).read_line(&mut line);
        let port = match read.ok().and_then(|_| line.trim().parse::<u16>().ok()) {
            Some(port) => port,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let err = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!(
                    "the test SMTP server did not start ({line:?}): {err}\nrun scripts/setup.sh"
                );
            }
        };
        TestSmtp {
            child,
            port,
            dir,
            certificate,
        }
    }

    fn start_sink(dir: tempfile::TempDir) -> TestSmtp {
        let sink = Path::new("/usr/sbin/smtp-sink");
        assert!(
            sink.exists(),
            "no {}: run scripts/setup.sh (Debian package postfix)",
            sink.display()
        );
        // smtp-sink cannot pick a free port itself: take one that was free a
        // moment ago, and another if something took it in between.
        for _ in 0..5 {
            let port = closed_port();
            let mut cmd = Command::new(sink);
            // As root smtp-sink insists on dropping to another user.
            if running_as_root() {
                cmd.args(["-u", "nobody"]);
            }
            let mut child = cmd
                .args(["-m", "64", &format!("127.0.0.1:{port}"), "128"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start smtp-sink: {e}; run scripts/setup.sh"));
            if sink_greets(&mut child, port) {
                return TestSmtp {
                    child,
                    port,
                    dir,
                    certificate: None,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("smtp-sink did not start on any of five free ports");
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The host to connect to: `127.0.0.1`.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    fn stored(&self, ext: &str) -> Vec<PathBuf> {
        let dir = self.dir.path().join("messages");
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files
    }

    /// Every message accepted so far, as raw RFC 5322 bytes, in arrival order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        self.stored("eml")
            .iter()
            .map(|p| std::fs::read(p).expect("read a stored message"))
            .collect()
    }

    /// The envelope of every message accepted so far, in arrival order.
    pub fn envelopes(&self) -> Vec<Envelope> {
        self.stored("json")
            .iter()
            .map(|p| {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(p).expect("read an envelope"))
                        .expect("an envelope is JSON");
                Envelope {
                    mail_from: v["mail_from"].as_str().unwrap_or_default().to_string(),
                    rcpt_to: v["rcpt_tos"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Waits until at least `n` messages are stored, or `limit` has passed,
    /// and returns what is stored then. Not a timed assertion: the limit is a
    /// generous bound on waiting, and the caller checks the count.
    pub fn wait_for_messages(&self, n: usize, limit: Duration) -> Vec<Vec<u8>> {
        let deadline = Instant::now() + limit;
        while self.stored("eml").len() < n && Instant::now() < deadline {
            pause();
        }
        self.messages()
    }
}

/// Waits until smtp-sink (which says nothing when it listens) greets on
/// `port` as itself; `false` when it exited first (the port was taken).
fn sink_greets(child: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut greeting = String::new();
            let _ = BufReader::new(stream).read_line(&mut greeting);
            return greeting.starts_with("220 smtp-sink");
        }
        pause();
    }
    false
}

/// Makes a self-signed certificate for `127.0.0.1` and `localhost` in
/// `dir`, valid for two days, and returns the paths of it and its key.
fn self_signed_certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        // A server certificate, not an authority: rustls refuses a CA
        // certificate presented by a server.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run openssl: {e}; run scripts/setup.sh"));
    assert!(status.success(), "openssl could not make a certificate");
    (cert, key)
}

/// A short pause while polling for something another process does.
#[allow(clippy::disallowed_methods)] // Polling another process: there is no event to wait on.
fn pause() {
    std::thread::sleep(Duration::from_millis(20));
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

impl Drop for TestSmtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
