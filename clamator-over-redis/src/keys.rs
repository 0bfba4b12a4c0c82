//! Stream, group and consumer names, spelled exactly as the TypeScript and Python transports
//! spell them: this is what lets a Rust server join a Python server's worker pool.

/// `<prefix>:cmds:<service>`: the stream a service's requests and notifications are added to.
pub fn command_stream(prefix: &str, service: &str) -> String {
    format!("{prefix}:cmds:{service}")
}

/// `<prefix>:replies:<clientInstanceId>`: the stream one client reads its replies from.
pub fn reply_stream(prefix: &str, client_instance_id: &str) -> String {
    format!("{prefix}:replies:{client_instance_id}")
}

/// The consumer group on a command stream: the service name itself.
pub fn consumer_group(service: &str) -> &str {
    service
}

/// `<service>:<serverInstanceId>`: one server's consumer in the group.
pub fn consumer_name(service: &str, server_instance_id: &str) -> String {
    format!("{service}:{server_instance_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_python_package() {
        assert_eq!(command_stream("wire", "arith"), "wire:cmds:arith");
        assert_eq!(
            reply_stream("wire", "wire-client"),
            "wire:replies:wire-client"
        );
        assert_eq!(consumer_group("arith"), "arith");
        assert_eq!(consumer_name("arith", "s1"), "arith:s1");
    }
}
