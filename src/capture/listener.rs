//! The sockets: a TCP listener for MLLP connections, a thread for each connection, and
//! a channel to whoever owns the session (the window's logic step, or the `capture`
//! command's loop). A connection thread never touches the session: it hands each whole
//! message over and waits for the acknowledgement to send back, so an `AA` leaves only
//! after the session has the readings on disk. Nothing here blocks the window.

use crate::hl7::mllp::{Deframer, Piece, frame};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a sender may pause in the middle of a message before the connection is
/// closed (a sender that stopped mid-message must not hold a thread for ever).
pub const MID_MESSAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a connection waits for the session's answer before it gives up and closes
/// (the sender then sends again, and the message is remembered as taken if it was).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an acknowledgement may wait to be taken by a sender that does not read
/// them before the connection is closed: a stop (SIGTERM) is never held up longer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections at once: a chair has one monitor; the load test uses 50.
pub const MAX_CONNECTIONS: usize = 128;
/// How often a waiting thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(200);

/// What a connection hands to the session's owner.
pub enum Delivery {
    /// A whole message: answer it through `reply` with the acknowledgement (unframed).
    Message {
        peer: SocketAddr,
        bytes: Vec<u8>,
        reply: SyncSender<String>,
    },
    /// Something about a connection to note: a torn frame, bytes outside frames, a
    /// sender that stopped mid-message, a frame too large.
    Problem { peer: SocketAddr, text: String },
}

/// A listening socket and its threads; dropping it stops them.
pub struct Listener {
    address: SocketAddr,
    deliveries: Receiver<Delivery>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Listener {
    /// Listens on `address` (`127.0.0.1:2575`; port 0 picks a free one). `wake` is called
    /// after each delivery, so a window can ask for a frame.
    ///
    /// # Errors
    /// The address is not one, or cannot be bound (in use, not this computer's).
    pub fn bind(address: &str, wake: Arc<dyn Fn() + Send + Sync>) -> io::Result<Listener> {
        let socket = TcpListener::bind(address)?;
        socket.set_nonblocking(true)?;
        let bound = socket.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let accept = {
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("mllp-accept".into())
                .spawn(move || accept_loop(&socket, &tx, &stop, &wake))?
        };
        Ok(Listener {
            address: bound,
            deliveries: rx,
            stop,
            accept: Some(accept),
        })
    }

    /// Where it listens (the port chosen, when 0 was asked).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The next delivery, waiting at most `wait`.
    pub fn next(&self, wait: Duration) -> Option<Delivery> {
        self.deliveries.recv_timeout(wait).ok()
    }

    /// A delivery if one is waiting.
    pub fn try_next(&self) -> Option<Delivery> {
        self.deliveries.try_recv().ok()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn accept_loop(
    socket: &TcpListener,
    tx: &Sender<Delivery>,
    stop: &Arc<AtomicBool>,
    wake: &Arc<dyn Fn() + Send + Sync>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match socket.accept() {
            Ok((stream, peer)) => {
                threads.retain(|t| !t.is_finished());
                if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    let text = format!(
                        "connection refused: {MAX_CONNECTIONS} connections are already open"
                    );
                    let _ = tx.send(Delivery::Problem { peer, text });
                    continue;
                }
                open.fetch_add(1, Ordering::SeqCst);
                let (tx, stop, wake) = (tx.clone(), stop.clone(), wake.clone());
                let counted = open.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("mllp-{peer}"))
                    .spawn(move || {
                        connection(stream, peer, &tx, &stop, &wake);
                        counted.fetch_sub(1, Ordering::SeqCst);
                    });
                match spawned {
                    Ok(thread) => threads.push(thread),
                    Err(_) => {
                        open.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            // A connection that failed before it was accepted (reset): the next one.
            Err(_) => std::thread::sleep(POLL),
        }
    }
    for thread in threads {
        let _ = thread.join();
    }
}

/// One connection: frames in, acknowledgements out, until the sender closes, stops
/// mid-message, or the listener stops.
fn connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    tx: &Sender<Delivery>,
    stop: &AtomicBool,
    wake: &Arc<dyn Fn() + Send + Sync>,
) {
    let problem = |text: String| {
        let _ = tx.send(Delivery::Problem { peer, text });
        wake();
    };
    if stream.set_nonblocking(false).is_err()
        || stream.set_read_timeout(Some(POLL)).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut deframer = Deframer::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut last_byte = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let n = match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if deframer.in_frame() && last_byte.elapsed() > MID_MESSAGE_TIMEOUT {
                    problem(format!(
                        "sender stopped mid-message: no byte for {} s; connection closed, the partial message dropped",
                        MID_MESSAGE_TIMEOUT.as_secs()
                    ));
                    return;
                }
                continue;
            }
            Err(_) => break,
        };
        last_byte = Instant::now();
        for piece in deframer.push(&buffer[..n]) {
            match piece {
                Piece::Message(bytes) => {
                    let (reply, answer) = mpsc::sync_channel(1);
                    if tx.send(Delivery::Message { peer, bytes, reply }).is_err() {
                        return;
                    }
                    wake();
                    let Ok(ack) = wait_for(&answer, stop) else {
                        return;
                    };
                    if stream.write_all(&frame(ack.as_bytes())).is_err() {
                        problem(format!(
                            "acknowledgement not taken: the sender did not read it within {} s; connection closed",
                            WRITE_TIMEOUT.as_secs()
                        ));
                        return;
                    }
                }
                Piece::Outside(n) => problem(format!(
                    "bytes outside an MLLP frame: {n} byte(s) not read (is the sender using MLLP?)"
                )),
                Piece::TooLarge => {
                    problem(format!(
                        "message too large: over {} bytes; dropped, connection closed",
                        crate::hl7::mllp::MAX_FRAME
                    ));
                    return;
                }
            }
        }
    }
    let (torn, outside) = deframer.finish();
    if let Some(len) = torn {
        problem(format!(
            "torn frame: the connection closed after {len} byte(s) of a message; it was dropped"
        ));
    }
    if outside > 0 {
        problem(format!(
            "bytes outside an MLLP frame: {outside} byte(s) not read (is the sender using MLLP?)"
        ));
    }
}

/// The session's acknowledgement, or an error when it does not come in time or the
/// listener stops.
fn wait_for(answer: &Receiver<String>, stop: &AtomicBool) -> Result<String, ()> {
    let began = Instant::now();
    loop {
        match answer.recv_timeout(POLL) {
            Ok(ack) => return Ok(ack),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) || began.elapsed() > ANSWER_TIMEOUT {
                    return Err(());
                }
            }
        }
    }
}
