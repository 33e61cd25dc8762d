package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
)

// Why this front door exists: FerretDB v1's SQLite handler runs an update as "query the documents, then write them
// back" without a transaction around the two (FerretDB/FerretDB#3040). Two concurrent `$inc`s on one document then
// lose one increment, and two conditional updates can both succeed; measured here: 40 concurrent findAndModify $inc
// on one counter ended at 13. MongoDB applies every single-document write atomically, and this project's
// reliability design relies on exactly that (architecture §5). The proxy restores it by letting one write command
// at a time through to FerretDB; reads stay concurrent. SQLite has a single writer anyway, so little is lost.

// writeCommands are the commands that modify data or schema, by lower-case name.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findandmodify": true,
	"create": true, "createindexes": true, "drop": true, "dropindexes": true, "dropdatabase": true,
	"renamecollection": true, "collmod": true,
}

const (
	opMsg        = 2013
	flagMoreToCo = 1 << 1 // moreToCome: the peer sends further messages without waiting for an answer
	maxMessage   = 48_000_000
)

// serializeWrites accepts client connections on listener and relays each to a new upstream connection made by dial,
// holding writeLock for the whole round trip of every write command.
func serializeWrites(ctx context.Context, listener net.Listener, dial func() (net.Conn, error), logger *slog.Logger) error {
	var writeLock sync.Mutex
	var open sync.WaitGroup
	go func() {
		<-ctx.Done()
		listener.Close()
	}()
	for {
		client, err := listener.Accept()
		if err != nil {
			open.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		open.Add(1)
		go func() {
			defer open.Done()
			defer client.Close()
			upstream, err := dial()
			if err != nil {
				logger.Error("cannot reach FerretDB behind the write serializer", "error", err)
				return
			}
			defer upstream.Close()
			stop := context.AfterFunc(ctx, func() { client.Close(); upstream.Close() })
			defer stop()
			if err := relay(client, upstream, &writeLock); err != nil && !errors.Is(err, io.EOF) && ctx.Err() == nil {
				logger.Debug("connection closed", "error", err)
			}
		}()
	}
}

// relay forwards request/response exchanges; the MongoDB drivers used here send one request and wait for its reply
// on a connection before sending the next.
func relay(client, upstream net.Conn, writeLock *sync.Mutex) error {
	for {
		request, err := readMessage(client)
		if err != nil {
			return err
		}
		isWrite := writeCommands[strings.ToLower(commandName(request))]
		if isWrite {
			writeLock.Lock()
		}
		err = exchange(request, client, upstream)
		if isWrite {
			writeLock.Unlock()
		}
		if err != nil {
			return err
		}
	}
}

func exchange(request []byte, client, upstream net.Conn) error {
	if _, err := upstream.Write(request); err != nil {
		return err
	}
	if moreToCome(request) {
		return nil // fire-and-forget request (w:0): no reply comes
	}
	for {
		reply, err := readMessage(upstream)
		if err != nil {
			return err
		}
		if _, err = client.Write(reply); err != nil {
			return err
		}
		if !moreToCome(reply) {
			return nil
		}
	}
}

func readMessage(conn net.Conn) ([]byte, error) {
	header := make([]byte, 16)
	if _, err := io.ReadFull(conn, header); err != nil {
		return nil, err
	}
	length := binary.LittleEndian.Uint32(header)
	if length < 16 || length > maxMessage {
		return nil, fmt.Errorf("invalid message length %d", length)
	}
	message := make([]byte, length)
	copy(message, header)
	if _, err := io.ReadFull(conn, message[16:]); err != nil {
		return nil, err
	}
	return message, nil
}

func moreToCome(message []byte) bool {
	return binary.LittleEndian.Uint32(message[12:]) == opMsg && len(message) >= 20 &&
		binary.LittleEndian.Uint32(message[16:])&flagMoreToCo != 0
}

// commandName is the first key of an OP_MSG body section (kind 0): header, flagBits, kind byte, then a BSON document
// whose first element is {type byte, cstring name, value}. Anything else yields "".
func commandName(message []byte) string {
	if binary.LittleEndian.Uint32(message[12:]) != opMsg || len(message) < 16+4+1+4+2 {
		return ""
	}
	section := message[20:]
	if section[0] != 0 {
		return ""
	}
	name := section[1+4+1:]
	if end := strings.IndexByte(string(name[:min(len(name), 64)]), 0); end > 0 {
		return string(name[:end])
	}
	return ""
}
