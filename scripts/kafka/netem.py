#!/usr/bin/env python3
"""Delay and loss on a host's link, for `scripts/kafka-netns.sh netem` where the kernel has no
netem qdisc (CONFIG_NET_SCH_NETEM is not set on this project's machines, nor NFT_QUEUE): iptables
NFQUEUE rules on the host's link hand its packets to this process, which gives the kernel each
one's verdict, accept once the delay has passed, or drop. The kernel holds the packet meanwhile,
so nothing is copied out but its IP header. Standard library only (raw netlink).

  netem.py QUEUE SPEC...   SPEC as tc netem takes it, of which: delay TIME [JITTER] (TIME as
                           tc: 200ms, 0.2s, 200000us; a bare number is microseconds) and
                           loss [random] PERCENT%. Jitter is uniform within +-JITTER, so it
                           reorders packets as netem's does.

The loss is of what the host sends, as netem's on its link, and so is the delay, but for TCP,
whose delay is of what the host receives instead: a round trip grows by it once all the same.
Held on the way out, the host's TCP would throttle itself: its TCP Small Queues let only about a
millisecond of a connection's data wait below TCP (netem orphans the packets it holds so that
they no longer count; a queue cannot), so 200 ms of holding would cut a connection to a few
kilobytes a second. Packets received are no socket's yet. (ping measures from the kernel's
receive time, before the queue: hence ICMP is delayed on the way out, as netem does.) A packet
lost is dropped by a verdict after it left TCP, which to TCP is a loss on the wire, not the
local error a firewall's drop would return.

Run inside the host's network namespace: a queue belongs to the namespace of the socket bound to
it. Once the queue is bound it prints "ready" and the chains whose packets it wants queued
(PREROUTING: TCP received, for its delay; POSTROUTING: all sent). On SIGTERM or SIGINT it lets
every packet it holds go and exits: when the queue closes, the kernel drops what is still held.
"""

import collections
import heapq
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_PACKET = 2
# The IPv4 header without options: its protocol field tells TCP apart.
COPY_RANGE = 20
IPPROTO_TCP = 6
NFQA_CFG_F_FAIL_OPEN = 1
NFQA_PACKET_HDR = 1
NFQA_PAYLOAD = 10
NF_INET_PRE_ROUTING = 0
NFQA_VERDICT_HDR = 2
NF_DROP = 0
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
# Packets held at once: 200 ms of a busy producer's traffic fits well within it. Past it the
# kernel lets packets through undelayed (fail-open) rather than dropping them.
QUEUE_MAXLEN = 65536


def fail(message):
    print(f"netem.py: {message}", file=sys.stderr)
    sys.exit(2)


def parse_time(text):
    """Seconds, from tc's TIME syntax."""
    units = (("usecs", 1e-6), ("usec", 1e-6), ("us", 1e-6), ("msecs", 1e-3), ("msec", 1e-3),
             ("ms", 1e-3), ("secs", 1.0), ("sec", 1.0), ("s", 1.0), ("", 1e-6))
    for suffix, scale in units:
        if text.endswith(suffix):
            try:
                value = float(text[: len(text) - len(suffix)])
            except ValueError:
                break
            if value >= 0:
                return value * scale
            break
    fail(f"not a time: {text!r}")


def parse_spec(words):
    """(delay, jitter) in seconds and loss as a probability."""
    delay = jitter = loss = 0.0
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("delay", "latency") and i + 1 < len(words):
            delay = parse_time(words[i + 1])
            i += 2
            if i < len(words) and words[i][:1].isdigit():
                jitter = parse_time(words[i])
                i += 1
        elif word in ("loss", "drop") and i + 1 < len(words):
            i += 1
            if words[i] == "random" and i + 1 < len(words):
                i += 1
            if not words[i].endswith("%"):
                fail(f"loss takes a percentage such as 5%, not {words[i]!r}")
            try:
                loss = float(words[i][:-1]) / 100
            except ValueError:
                fail(f"not a percentage: {words[i]!r}")
            i += 1
        else:
            fail("this stand-in for netem takes delay TIME [JITTER] and loss PERCENT%,"
                 f" not {word!r}")
    return delay, jitter, loss


def attribute(kind, payload):
    header = struct.pack("=HH", 4 + len(payload), kind)
    return header + payload + b"\0" * (-len(payload) % 4)


class Queue:
    def __init__(self, number):
        self.number = number
        self.sequence = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        # Room for a burst of packet messages (each a hundred bytes or so, a header only): one
        # the kernel cannot deliver leaves its packet held until the queue closes.
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)

    def message(self, kind, flags, payload):
        self.sequence += 1
        body = struct.pack("!BBH", socket.AF_UNSPEC, 0, self.number) + payload
        header = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind,
                             NLM_F_REQUEST | flags, self.sequence, 0)
        self.sock.send(header + body)

    def configure(self, payload):
        """Sends a config message and waits for the kernel's acknowledgement."""
        self.message(NFQNL_MSG_CONFIG, NLM_F_ACK, payload)
        while True:
            data = self.sock.recv(65536)
            length, kind, _, sequence, _ = struct.unpack_from("=IHHII", data)
            if kind == NLMSG_ERROR and sequence == self.sequence:
                (error,) = struct.unpack_from("=i", data, 16)
                if error != 0:
                    fail(f"the kernel refused the queue's configuration: {os.strerror(-error)}")
                return

    def bind(self):
        self.configure(attribute(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, 0)))
        params = struct.pack("!IB", COPY_RANGE, NFQNL_COPY_PACKET)
        self.configure(attribute(NFQA_CFG_PARAMS, params))
        self.configure(attribute(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", QUEUE_MAXLEN)))
        self.configure(attribute(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN))
                       + attribute(NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)))

    def packets(self):
        """(id, hook, is TCP) of each packet the kernel has sent so far (the socket is
        non-blocking once bound)."""
        found = []
        while True:
            try:
                self.parse(self.sock.recv(1 << 20), found)
            except BlockingIOError:
                return found

    @staticmethod
    def parse(data, found):
        offset = 0
        while offset + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, offset)
            if length < 16:
                break
            if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                position = offset + 20  # past nlmsghdr and nfgenmsg
                packet_id = hook = None
                tcp = False
                while position + 4 <= offset + length:
                    size, attr = struct.unpack_from("=HH", data, position)
                    if size < 4:
                        break
                    if attr & 0x7FFF == NFQA_PACKET_HDR:
                        packet_id, _, hook = struct.unpack_from("!IHB", data, position + 4)
                    elif attr & 0x7FFF == NFQA_PAYLOAD and size >= 4 + 10:
                        header = data[position + 4 : position + size]
                        tcp = header[0] >> 4 == 4 and header[9] == IPPROTO_TCP
                    position += (size + 3) & ~3
                if packet_id is not None:
                    found.append((packet_id, hook, tcp))
            offset += (length + 3) & ~3

    def verdict(self, packet_id, verdict):
        self.message(NFQNL_MSG_VERDICT, 0,
                     attribute(NFQA_VERDICT_HDR, struct.pack("!II", verdict, packet_id)))


def main():
    if len(sys.argv) < 3:
        fail("usage: netem.py QUEUE SPEC...")
    delay, jitter, loss = parse_spec(sys.argv[2:])
    queue = Queue(int(sys.argv[1]))
    queue.bind()
    queue.sock.setblocking(False)

    # A signal only wakes select through this pipe, so no packet is lost between recv and
    # being held.
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    stopping = []
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.append(True))

    # (due, order, id): a FIFO when every packet has the same delay, a heap with jitter.
    held = [] if jitter else collections.deque()
    order = 0
    delayed = bool(delay or jitter)
    chains = (["PREROUTING"] if delayed else []) + (["POSTROUTING"] if delayed or loss else [])
    print(" ".join(["ready"] + chains), flush=True)
    while not stopping:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([queue.sock, wake_read], [], [], timeout)
        if queue.sock in readable:
            now = time.monotonic()
            for packet_id, hook, tcp in queue.packets():
                received = hook == NF_INET_PRE_ROUTING
                if not received and loss and random.random() < loss:
                    queue.verdict(packet_id, NF_DROP)
                    continue
                # TCP is delayed as it arrives, the rest as it leaves.
                if not delayed or tcp != received:
                    queue.verdict(packet_id, NF_ACCEPT)
                    continue
                due = now + max(0.0, delay + random.uniform(-jitter, jitter))
                order += 1
                if jitter:
                    heapq.heappush(held, (due, order, packet_id))
                else:
                    held.append((due, order, packet_id))
        now = time.monotonic()
        while held and held[0][0] <= now:
            entry = heapq.heappop(held) if jitter else held.popleft()
            queue.verdict(entry[2], NF_ACCEPT)
    for entry in held:
        queue.verdict(entry[2], NF_ACCEPT)


if __name__ == "__main__":
    main()
