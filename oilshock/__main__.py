from oilshock.cli import main

main()
