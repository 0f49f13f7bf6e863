from transaudit.cli import main

main()
