package dev.ferry.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What files looked like at one moment (modification time, size, inode), to notice a change by
 * polling: certificate renewers replace files by rename, which file watching misses on some systems
 * and polling never does.
 */
record FileStamps(List<String> stamps) {
  static FileStamps of(List<Path> files) {
    List<String> out = new ArrayList<>(files.size());
    for (Path f : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        // The file key (device and inode) changes when a renewer swaps in a new file by rename,
        // even within the clock's resolution and at the same size.
        out.add(f + "@" + a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey());
      } catch (IOException e) {
        out.add(f + "@missing");
      }
    }
    return new FileStamps(List.copyOf(out));
  }
}
