fn main() {
    obshell_console::start();
}
