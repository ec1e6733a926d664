"""Discussion threads and their messages, live over Socket.IO."""
