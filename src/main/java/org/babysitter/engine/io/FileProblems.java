package org.babysitter.engine.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in the words a person expects ("permission denied", "no space left on device"),
 * without the path: the caller names the file. Java's file exceptions often carry only the path as their message
 * (an {@link AccessDeniedException}'s message is the file name), which read as if nothing were said.
 */
public final class FileProblems {
    private FileProblems() {
    }

    /** The problem in words, e.g. "permission denied". */
    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a folder that is not empty";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return "an input/output error (" + e.getClass().getSimpleName() + ")";
        }
        return known(text);
    }

    /** The operating system's error texts (strerror) as the rest of our messages say them. */
    private static String known(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left on device")) {
            return "no space left on device (the disk is full)";
        }
        if (lower.contains("disk quota exceeded")) {
            return "disk quota exceeded";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (lower.contains("permission denied") || lower.contains("operation not permitted")) {
            return "permission denied";
        }
        if (lower.contains("too many levels of symbolic links")) {
            return "a loop of symbolic links";
        }
        if (lower.contains("is a directory")) {
            return "is a folder";
        }
        if (lower.contains("not a directory")) {
            return "a part of the path is a file, not a folder";
        }
        if (lower.contains("file name too long")) {
            return "file name too long";
        }
        return t.length() > 1 && Character.isUpperCase(t.charAt(0)) && Character.isLowerCase(t.charAt(1))
                ? Character.toLowerCase(t.charAt(0)) + t.substring(1) : t;
    }
}
