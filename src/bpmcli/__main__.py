from bpmcli.cli import main

main()
